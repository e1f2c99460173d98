"""A real S3-compatible server on loopback for the tests (moto's server mode, which speaks the S3 protocol
over HTTP), and the settings that point Django's default storage at a bucket of it, as OBJECT_STORAGE_BUCKET
does in production (config/settings/base.py)."""

import uuid

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-north-1"
# moto accepts any key; these only have to be the same for the server's signatures and the clients'.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_DEFAULT_REGION": REGION,
}


class S3Server:
    def __init__(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self):
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self):
        self.server.stop()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self):
        name = f"grants-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return name

    def keys(self, bucket):
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def environment(self, bucket):
        """The variables an application node is given to use the bucket (README "Topology")."""
        return {"OBJECT_STORAGE_BUCKET": bucket, "AWS_ENDPOINT_URL_S3": self.endpoint, **CREDENTIALS}
