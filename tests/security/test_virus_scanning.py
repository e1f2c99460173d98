"""Uploads pass a virus scanner when one is configured: a ClamAV daemon spoken to over TCP (INSTREAM).

The daemon here is a small stand-in that speaks clamd's protocol on a real socket and flags the EICAR test
string, as ClamAV does; it records what it received so the tests see the whole file went through."""

import socket
import struct
import threading

import pytest
from django.urls import reverse

from applications.models import Attachment
from tests.applications.test_attachments import SAMPLES, upload

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                stream = conn.makefile("rb")
                command = b""
                while not command.endswith(b"\0"):
                    command += stream.read(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack("!L", stream.read(4))
                    if length == 0:
                        break
                    data += stream.read(length)
                self.received.append(data)
                reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(reply)

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings):
    daemon = FakeClamd()
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{daemon.port}"
    yield daemon
    daemon.close()


@pytest.fixture
def lead_client(client, people):
    client.force_login(people["lead"])
    return client


def test_a_clean_file_is_scanned_whole_and_stored(lead_client, draft, clamd):
    content = SAMPLES["plan.pdf"] + b"%" + b"x" * 200_000  # several INSTREAM chunks
    assert upload(lead_client, draft, "plan.pdf", content).status_code == 302
    assert clamd.received == [content]
    assert Attachment.objects.filter(application=draft).count() == 1


def test_malware_is_refused_with_its_name_and_nothing_is_stored(lead_client, draft, clamd):
    response = upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"] + EICAR, "Säilyy")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file contains malware (Eicar-Test-Signature) and was not saved." in html
    assert 'value="Säilyy"' in html
    assert not Attachment.objects.exists()


def test_an_unreachable_scanner_refuses_the_file_rather_than_letting_it_in(lead_client, draft, settings):
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{port}"  # nothing listens there any more
    response = upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    assert response.status_code == 200
    assert "could not be checked for viruses just now" in response.content.decode()
    assert not Attachment.objects.exists()


def test_without_a_scanner_configured_files_are_only_checked_by_type(lead_client, draft, settings):
    settings.CLAMAV_ADDRESS = ""
    assert upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"] + EICAR).status_code == 302


def flag_everything(upload):
    return "Test-Hook-Signature"


def test_the_scanner_is_a_replaceable_hook(lead_client, draft, settings):
    settings.ATTACHMENT_SCANNER = "tests.security.test_virus_scanning.flag_everything"
    response = upload(lead_client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    assert "contains malware (Test-Hook-Signature)" in response.content.decode()


def test_partner_commitment_documents_are_scanned_too(client, draft, people, municipalities, clamd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["partner"])
    response = client.post(
        reverse("applications:participation", kwargs={"pk": draft.pk}),
        {"answer": "confirm", "commitment": SimpleUploadedFile("sitoumus.pdf", SAMPLES["plan.pdf"] + EICAR)},
    )
    assert response.status_code == 200
    assert "contains malware" in response.content.decode()
    participant = draft.participants.get(organisation=municipalities["partner"])
    assert participant.status == "pending"
    assert not Attachment.objects.exists()
