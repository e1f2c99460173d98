"""The outbox: every message the system sends, written in the same transaction as the change it tells about,
and the record of its delivery (sent at, attempts, last error)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class Message(ChoiceLabels, models.Model):
    """One mail to one recipient, rendered in the recipient's language when it was queued. `reference` names
    what the mail is about ("issued-document:12"), so that a delivery can be traced back to its case."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=60)
    reference = models.CharField(_("about"), max_length=80, blank=True, db_index=True)
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail message")
        verbose_name_plural = _("mail messages")
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["status", "queued_at"], name="mail_message_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values),
                name="mail_message_status_valid",
                violation_error_message=_("Unknown delivery status."),
            ),
            models.CheckConstraint(
                condition=Q(status=MessageStatus.SENT, sent_at__isnull=False)
                | (~Q(status=MessageStatus.SENT) & Q(sent_at__isnull=True)),
                name="mail_message_sent_at_with_status",
                violation_error_message=_("A message has a sending time exactly when it has been sent."),
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.to}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so that a receiving server or mail program can recognise a
        repeated delivery of the same message."""
        return f"<{self.uuid}@grants.invalid>"


class Worker(models.Model):
    """A running queue worker (`manage.py worker`). It says it is alive every WORKER_HEARTBEAT_SECONDS; one
    not heard from for WORKER_LOST_AFTER_SECONDS is taken for dead, and the job it was running is handed to
    another worker (mail.workers.recover_lost_jobs)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last heard from"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("queue worker")
        verbose_name_plural = _("queue workers")
        ordering = ["host", "pid"]

    def __str__(self):
        return f"{self.host}:{self.pid}"
