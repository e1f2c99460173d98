"""Every decision document as it was issued: archived unchanged, served from the archive, and how and
when it was notified to the municipality, which is what the rectification deadline is counted from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from core.fields import money_field

from .application import Application
from .decision import Decision
from .followup import ChangeRequest, GrantReturn, PaymentRequest
from .states import DECISION_LANGUAGES


class DocumentKind(models.TextChoices):
    GRANT = "grant", _("Decision on a state grant")
    REJECTION = "rejection", _("Decision on an application for a state grant")
    CHANGE = "change", _("Decision on a change to a state grant")
    PAYMENT = "payment", _("Decision on a payment request")
    RETURN = "return", _("Decision on the return of a state grant")
    RECOVERY = "recovery", _("Decision on the recovery of a state grant")
    RECTIFICATION = "rectification", _("Decision on a request for rectification")


class NotificationMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronically, with the applicant's consent")
    LETTER = "letter", _("By letter")


class IssuedDocument(ChoiceLabels, models.Model):
    """One decision document as issued. Its PDF never changes; `sent_on` and `notified_on` record the
    notification: deemed received on the 3rd day after an electronic message (13/2003 § 19) or the 7th day
    after a letter (434/2003 § 59), unless shown otherwise."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("application")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )
    payment = models.ForeignKey(
        PaymentRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("payment request"),
    )
    change = models.ForeignKey(
        ChangeRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("change request"),
    )
    grant_return = models.ForeignKey(
        GrantReturn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("return"),
    )
    rectification = models.ForeignKey(
        "RectificationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("rectification request"),
    )
    language = models.CharField(_("language"), max_length=2, choices=DECISION_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    decision_date = models.DateField(_("decision date"))
    pdf = models.FileField(_("archived PDF"), upload_to="issued/")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    method = models.CharField(_("notified"), max_length=12, choices=NotificationMethod.choices, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    notified_on = models.DateField(
        _("deemed notified on"),
        null=True,
        blank=True,
        help_text=_("The day the decision is deemed received, unless shown otherwise."),
    )
    notification_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notification recorded by"),
    )

    class Meta:
        verbose_name = _("issued decision document")
        verbose_name_plural = _("issued decision documents")
        ordering = ["application_id", "issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values),
                name="issued_document_kind_valid",
                violation_error_message=_("Unknown kind of document."),
            ),
            models.CheckConstraint(
                condition=Q(method="", sent_on__isnull=True, notified_on__isnull=True)
                | (
                    Q(method__in=NotificationMethod.values)
                    & Q(sent_on__isnull=False, notified_on__isnull=False)
                ),
                name="issued_document_notification_complete",
                violation_error_message=_(
                    "A notification records how it was sent, when, and when it is deemed received."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.title} {self.decision_date:%d.%m.%Y}"


class RectificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class RectificationRequest(ChoiceLabels, models.Model):
    """A party's request for rectification of an issued decision (434/2003 §§ 49 a–49 g): registered,
    journalled, decided with reasons by an official other than the one who prepared the decision."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="rectification_requests",
        verbose_name=_("application"),
    )
    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        related_name="rectification_requests",
        verbose_name=_("decision concerned"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("requester")
    )
    demands = models.TextField(_("rectification requested"), max_length=5000)
    grounds = models.TextField(_("grounds"), max_length=10000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_grounds = models.TextField(_("grounds of the decision"), blank=True, max_length=10000)
    new_granted_amount = money_field(
        _("amended maximum grant (€)"),
        null=True,
        blank=True,
        help_text=_("When a grant decision is amended: the new maximum grant."),
    )
    appeal_court = models.CharField(
        _("administrative court for an appeal"),
        max_length=200,
        blank=True,
        help_text=_(
            "Named in the appeal instructions (Administrative Judicial Procedure Act 808/2019 § 12)."
        ),
    )

    class Meta:
        verbose_name = _("rectification request")
        verbose_name_plural = _("rectification requests")
        ordering = ["application_id", "submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RectificationStatus.values),
                name="rectification_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(status=RectificationStatus.SUBMITTED, decided_at__isnull=True)
                | (~Q(status=RectificationStatus.SUBMITTED) & Q(decided_at__isnull=False)),
                name="rectification_decided_at_matches_status",
                violation_error_message=_("A decided request records when it was decided."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.document.title}"
