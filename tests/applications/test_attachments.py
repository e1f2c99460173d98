"""Attachments: allowed types by content, size limit, safe names, permission-checked download, deletion."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Attachment, CaseEvent, EventKind

pytestmark = pytest.mark.django_db


def zipped(entries, mimetype=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name in entries:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
SAMPLES = {
    "plan.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n",
    "plan.docx": zipped(["[Content_Types].xml", "_rels/.rels", "word/document.xml"]),
    "budget.xlsx": zipped(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]),
    "plan.odt": zipped(["content.xml"], "application/vnd.oasis.opendocument.text"),
    "budget.ods": zipped(["content.xml"], "application/vnd.oasis.opendocument.spreadsheet"),
    "chart.png": PNG,
    "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40,
    "photo.JPEG": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40,
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def attachments_url(application):
    return reverse("applications:attachments", kwargs={"pk": application.pk})


@pytest.fixture
def lead_client(client, people):
    client.force_login(people["lead"])
    return client


def upload(client, application, name, content, description=""):
    return client.post(
        attachments_url(application), {"file": SimpleUploadedFile(name, content), "description": description}
    )


@pytest.mark.parametrize("name", list(SAMPLES))
def test_allowed_types_are_accepted(lead_client, draft, name):
    response = upload(lead_client, draft, name, SAMPLES[name], "Liite")
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=draft)
    assert attachment.original_name.lower() == name.lower()
    assert attachment.size == len(SAMPLES[name])
    stored = Path(attachment.file.path)
    assert stored.read_bytes() == SAMPLES[name]
    assert name.split(".")[0] not in stored.name  # stored under a random name
    assert "static" not in str(stored)
    assert CaseEvent.objects.filter(application=draft, kind=EventKind.ATTACHMENT_ADDED).exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.pdf", EXE, "is not a PDF file"),
        ("budget.xlsx", EXE, "is not a XLSX file"),
        ("plan.docx", zipped(["a.txt"]), "is not a DOCX file"),
        ("plan.docx", SAMPLES["budget.xlsx"], "is not a DOCX file"),
        ("chart.png", SAMPLES["plan.pdf"], "is not a PNG file"),
        ("program.exe", EXE, "Files of this type are not accepted"),
        ("notes.txt", b"hello", "Files of this type are not accepted"),
        ("noextension", SAMPLES["plan.pdf"], "Files of this type are not accepted"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_bad_files_are_refused(lead_client, draft, name, content, message):
    response = upload(lead_client, draft, name, content, "Kuvaus säilyy")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Kuvaus säilyy"' in html
    assert not Attachment.objects.exists()


def test_too_large_file_is_refused(lead_client, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = upload(lead_client, draft, "big.pdf", SAMPLES["plan.pdf"] + b"0" * 1000)
    assert "The file is too large" in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_long_file_name_is_refused(lead_client, draft):
    response = upload(lead_client, draft, "x" * 250 + ".pdf", SAMPLES["plan.pdf"])
    assert "at most 200 characters" in response.content.decode()


def test_name_is_sanitised(lead_client, draft):
    upload(lead_client, draft, "../../etc/<script>passwd.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    assert "/" not in attachment.original_name and "<" not in attachment.original_name
    assert attachment.original_name.endswith(".pdf")


def test_download_is_attachment_with_nosniff(lead_client, draft):
    upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    response = lead_client.get(
        reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SAMPLES["plan.pdf"]


def test_partner_downloads_but_cannot_upload_or_delete(client, draft, people):
    client.force_login(people["lead"])
    upload(client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    client.force_login(people["partner"])
    download = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    assert client.get(download).status_code == 200
    assert upload(client, draft, "more.pdf", SAMPLES["plan.pdf"]).status_code == 403
    delete = reverse(
        "applications:delete-attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}
    )
    assert client.post(delete).status_code == 403
    assert Attachment.objects.count() == 1


def test_other_municipality_gets_404_for_files(client, draft, people):
    client.force_login(people["lead"])
    upload(client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    client.force_login(people["other"])
    download = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    delete = reverse(
        "applications:delete-attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}
    )
    assert client.get(download).status_code == 404
    assert client.post(delete).status_code == 404
    assert client.get(attachments_url(draft)).status_code == 404


def test_attachment_of_another_application_is_404(lead_client, draft, people, open_call, municipalities):
    other = services.start_application(
        call=open_call, lead=municipalities["lead"], project_name="Toinen", by=people["lead"]
    )
    upload(lead_client, other, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    url = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk})
    assert lead_client.get(url).status_code == 404


def test_delete_removes_row_and_file(lead_client, draft, django_capture_on_commit_callbacks):
    upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    delete = reverse(
        "applications:delete-attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert lead_client.post(delete).status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert CaseEvent.objects.filter(application=draft, kind=EventKind.ATTACHMENT_REMOVED).exists()


def test_no_upload_or_delete_after_submission(lead_client, ready, people):
    upload(lead_client, ready, "plan.pdf", SAMPLES["plan.pdf"])
    attachment = Attachment.objects.get()
    services.submit_application(application=ready, by=people["lead"])
    response = upload(lead_client, ready, "late.pdf", SAMPLES["plan.pdf"])
    assert response.status_code == 302
    delete = reverse(
        "applications:delete-attachment", kwargs={"pk": ready.pk, "attachment_pk": attachment.pk}
    )
    lead_client.post(delete)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["plan.pdf"]
    page = lead_client.get(attachments_url(ready)).content.decode()
    assert "Add an attachment" not in page


def test_failed_service_leaves_no_file_behind(lead_client, draft, monkeypatch):
    from django.conf import settings

    def broken_journal(*args, **kwargs):
        raise RuntimeError("journal unavailable")

    from applications import workflow

    monkeypatch.setattr(workflow, "record_event", broken_journal)
    before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    from applications.attachments import check_upload

    checked = check_upload(SimpleUploadedFile("plan.pdf", SAMPLES["plan.pdf"]))
    with pytest.raises(RuntimeError):
        services.add_attachment(application=draft, upload=checked, description="", by=draft.created_by)
    assert not Attachment.objects.exists()
    assert {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()} <= {
        p for p in before if p.is_file()
    }


def bomb(kind, entries=None, inflated=0):
    """An office archive whose one member inflates to `inflated` bytes of zeros, or with many entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr(
                "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", "<x/>")
        else:
            for name in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]:
                archive.writestr(name, "<x/>")
        if inflated:
            with archive.open("word/media/zeros.bin", "w") as member:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(inflated // len(chunk)):
                    member.write(chunk)
        for number in range(entries or 0):
            archive.writestr(f"word/e{number}.xml", "")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("bomb.docx", bomb("docx", inflated=210 * 1024 * 1024)),  # 210 MB of zeros in about 200 kB
        ("many.docx", bomb("docx", entries=2100)),
        ("bomb.odt", bomb("odt", inflated=20 * 1024 * 1024)),  # a ratio of about 1:1000
    ],
)
def test_zip_bombs_are_refused_before_they_are_stored(lead_client, draft, name, content):
    """Red-team finding 18: a DOCX inflating to 200 MB was accepted."""
    assert len(content) < 1024 * 1024
    response = upload(lead_client, draft, name, content, "Pommi")
    assert "its packed content is unusually large" in response.content.decode()
    assert not Attachment.objects.exists()
