"""Delivering queued mail: one task per attempt. A failed attempt is recorded on the message and the next
one is scheduled, later each time; a message is given up only after `MAIL_RETRY_FOR` (default three days)
and then shows as not delivered in the admin, where it can be sent again."""

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Message, MessageStatus
from .signals import message_sent

MAX_DELAY = dt.timedelta(hours=1)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, … minutes after the first, second, third … failed attempt, at most an hour."""
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), MAX_DELAY)


def _permanent(error: Exception) -> bool:
    """A 5xx answer about the message or its recipient will be the same next time; a lost connection or
    a 4xx answer will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reason in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@task()
def deliver(message_id: int) -> str:
    """Sends the message unless it has been sent already. The row stays locked while the mail server
    answers, so two workers never send the same message; the same Message-ID goes with every attempt."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return "nothing to do"
        now = timezone.now()
        message.attempts += 1
        message.last_attempt_at = now
        mail = EmailMultiAlternatives(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to],
            headers={"Message-ID": message.message_id},
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            mail.send()
        except (smtplib.SMTPException, OSError) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            retry_for = dt.timedelta(seconds=settings.MAIL_RETRY_FOR)
            if _permanent(error) or now - message.queued_at >= retry_for:
                message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
            if message.status == MessageStatus.QUEUED:
                deliver.using(run_after=now + retry_delay(message.attempts)).enqueue(message.pk)
                return "retry"
            return "failed"
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.last_error = ""
        message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
        message_sent.send(sender=Message, message=message)
    return "sent"


def send_again(message: Message) -> None:
    """An administrator's second chance for a message that was given up: queued afresh, attempts kept."""
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, queued_at=timezone.now()
        )
        if updated:
            deliver.enqueue(message.pk)
