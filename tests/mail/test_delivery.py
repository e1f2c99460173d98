"""The durable mail queue against a real SMTP server on loopback (aiosmtpd, started and stopped here): a
message commits with its change, waits while the server is down, is delivered once it is back, and is never
delivered twice."""

import datetime as dt
import email
import smtplib

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from applications import services
from mail.models import Message, MessageStatus
from mail.outbox import queue
from mail.tasks import retry_delay
from tests.conftest import deliver_mail
from tests.servers import SMTPController

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """What the SMTP server received: one entry per message, with its envelope recipients."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted"


class SMTPServer:
    def __init__(self):
        self.inbox = Inbox()
        self.controller = SMTPController(self.inbox)
        self.port = self.controller.port

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    if server.controller._thread:
        server.stop()
    server.controller.bound.close()


def time_passes():
    """The retries scheduled for later become due (as if their wait had passed)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - dt.timedelta(seconds=1))


def test_mail_waits_while_the_server_is_down_and_is_delivered_once_when_it_is_back(
    smtp, draft, municipalities, people
):
    # The server is down when the lead adds Kauniainen: the change and its mail commit together.
    services.add_participant(
        application=draft, organisation=municipalities["partner2"], share_percent=None, by=people["lead"]
    )
    message = Message.objects.get(event="partner-invited", to="partner2@example.fi")
    deliver_mail()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (MessageStatus.QUEUED, 1, None)
    assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error
    deliver_mail()  # the retry is not due yet: nothing is attempted
    message.refresh_from_db()
    assert message.attempts == 1

    time_passes()
    deliver_mail()
    message.refresh_from_db()
    assert message.attempts == 2  # still down

    smtp.start()
    time_passes()
    deliver_mail()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 3, "")
    assert message.sent_at is not None
    received = [m for rcpt, m in smtp.inbox.received if rcpt == ["partner2@example.fi"]]
    assert len(received) == 1
    assert received[0]["Message-ID"] == message.message_id
    assert received[0].is_multipart()  # plain text and HTML
    kinds = {part.get_content_type() for part in received[0].walk()}
    assert {"text/plain", "text/html"} <= kinds

    # Nothing is sent twice: later runs, and a stray second task for the same message, find it sent.
    time_passes()
    deliver_mail()
    from mail.tasks import deliver

    deliver.enqueue(message.pk)
    deliver_mail()
    assert len([m for rcpt, m in smtp.inbox.received if rcpt == ["partner2@example.fi"]]) == 1


def test_a_change_that_rolls_back_takes_its_mail_with_it(smtp, draft, municipalities, people):
    smtp.start()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_participant(
            application=draft, organisation=municipalities["partner2"], share_percent=None, by=people["lead"]
        )
        raise RuntimeError("the request failed after the change")
    assert not Message.objects.filter(event="partner-invited", to="partner2@example.fi").exists()
    deliver_mail()
    assert not [m for rcpt, m in smtp.inbox.received if rcpt == ["partner2@example.fi"]]


def test_a_refused_recipient_is_given_up_at_once(smtp, settings):
    smtp.start()
    message = queue(
        event="test",
        to="unknown@example.fi",
        language="fi",
        template="reminder",
        context={"message": "Hei"},
    )
    deliver_mail()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1
    assert "550" in message.last_error
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_server_that_keeps_failing_is_given_up_after_the_retry_period(smtp, settings):
    settings.MAIL_RETRY_FOR = 60
    message = queue(
        event="test", to="a@example.fi", language="sv", template="reminder", context={"message": "Hej"}
    )
    Message.objects.filter(pk=message.pk).update(queued_at=timezone.now() - dt.timedelta(minutes=2))
    deliver_mail()
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    # An administrator sends it again once the server is back.
    from mail.tasks import send_again

    smtp.start()
    send_again(message)
    deliver_mail()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2
    assert [rcpt for rcpt, m in smtp.inbox.received] == [["a@example.fi"]]


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [retry_delay(attempt) for attempt in range(1, 10)]
    assert waits[:4] == [dt.timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert waits == sorted(waits) and waits[-1] == dt.timedelta(hours=1)


def test_smtp_errors_are_told_apart():
    from mail.tasks import _permanent

    assert _permanent(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}))
    assert not _permanent(smtplib.SMTPRecipientsRefused({"a@b": (451, b"later")}))
    assert not _permanent(ConnectionRefusedError())
    assert _permanent(smtplib.SMTPDataError(554, b"rejected"))
