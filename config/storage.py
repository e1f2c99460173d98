"""Where uploaded and archived files are kept: the local file system (the default), or, when
OBJECT_STORAGE_BUCKET names a bucket, S3-compatible object storage shared by every application node."""


def object_storage(bucket: str) -> dict:
    """Django's default storage in the bucket (django-storages on boto3). Credentials, region and endpoint
    come from boto3's own variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, and
    AWS_ENDPOINT_URL_S3 for a store that is not Amazon's) or the machine's role.

    The bucket stays private: nothing is uploaded with an ACL of its own (the bucket's policy, which must
    block public access, decides), and every file reaches a user only through a view that checked who may
    read it and streams it (README "Topology")."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Never replace a stored file: a second file of the same name gets a name of its own, as on the
            # file system. An archived decision document is written once.
            "file_overwrite": False,
            "default_acl": None,
            # Were an address of a file ever made (nothing here makes one), it would be signed and expire in
            # a minute.
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
