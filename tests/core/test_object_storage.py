"""Files in S3-compatible object storage (OBJECT_STORAGE_BUCKET): uploaded attachments and commitment
documents and every archived decision document go through Django's storage API into a private bucket of a
real S3 server on loopback (moto's server mode), and come back only through the permission-checked views."""

import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.attachments import check_upload
from applications.files import atomic_with_files
from applications.models import Attachment, IssuedDocument
from tests.applications.test_attachments import SAMPLES, upload
from tests.conftest import award

pytestmark = pytest.mark.django_db


def local_files():
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def anonymous_get(server, bucket, key):
    try:
        with urllib.request.urlopen(f"{server.endpoint}/{bucket}/{key}", timeout=10) as response:
            return response.status
    except HTTPError as refused:
        return refused.code


def test_an_attachment_is_kept_in_the_bucket_and_read_only_through_the_view(
    object_storage, client, draft, people
):
    server, bucket = object_storage
    before = local_files()
    client.force_login(people["lead"])
    assert upload(client, draft, "plan.pdf", SAMPLES["plan.pdf"]).status_code == 302
    attachment = Attachment.objects.get()
    assert server.keys(bucket) == [attachment.file.name]
    assert attachment.file.name.startswith(f"attachments/{draft.pk}/")
    assert local_files() == before  # nothing on this node's disk

    download = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLES["plan.pdf"]
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'

    client.force_login(people["other"])
    assert client.get(download).status_code == 404
    # The bucket itself gives nothing to a request that is not signed with the service's credentials.
    assert anonymous_get(server, bucket, attachment.file.name) == 403


def test_a_commitment_document_is_kept_in_the_bucket(object_storage, draft, people, municipalities):
    server, bucket = object_storage
    partner = draft.participants.get(organisation=municipalities["partner"])
    services.respond_to_participation(
        participant=partner,
        confirm=True,
        document=check_upload(SimpleUploadedFile("sitoumus.pdf", SAMPLES["plan.pdf"])),
        by=people["partner"],
    )
    document = partner.commitment_documents.get()
    assert server.keys(bucket) == [document.file.name]
    assert document.file.open("rb").read() == SAMPLES["plan.pdf"]


def test_an_approved_decision_is_archived_in_the_bucket(
    object_storage, client, submitted_case, people, ministry_people
):
    server, bucket = object_storage
    project = award(submitted_case, people["official"], ministry_people["decision_maker"])
    decision = project.decision
    issued = IssuedDocument.objects.get(decision=decision)
    assert set(server.keys(bucket)) == {decision.document_pdf.name, issued.pdf.name}
    assert all(name.endswith(".pdf") for name in server.keys(bucket))

    client.force_login(people["lead"])
    response = client.get(
        reverse("applications:issued-pdf", kwargs={"pk": project.pk, "document_pk": issued.pk})
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.content == issued.pdf.open("rb").read()
    client.force_login(people["other"])
    assert (
        client.get(
            reverse("applications:issued-pdf", kwargs={"pk": project.pk, "document_pk": issued.pk})
        ).status_code
        == 404
    )


def test_a_change_that_fails_leaves_no_object_behind(object_storage, draft):
    server, bucket = object_storage
    with pytest.raises(RuntimeError), atomic_with_files() as written:
        name = default_storage.save("attachments/orphan", ContentFile(b"%PDF-1.7"))
        written.append((default_storage, name))
        assert server.keys(bucket) == [name]
        raise RuntimeError("the change failed")
    assert server.keys(bucket) == []


def test_two_files_of_the_same_name_are_both_kept(object_storage):
    server, bucket = object_storage
    first = default_storage.save("decisions/päätös.pdf", ContentFile(b"first"))
    second = default_storage.save("decisions/päätös.pdf", ContentFile(b"second"))
    assert first != second
    assert default_storage.open(first).read() == b"first"
    assert default_storage.open(second).read() == b"second"
