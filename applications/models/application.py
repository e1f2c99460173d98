"""The application: the case from its first draft to its closing, its budget, its participating
municipalities and its files."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.choices import ChoiceLabels
from core.fields import money_field
from grants.models import Call, EmphasisArea

from .states import (
    DECISION_LANGUAGES,
    CostCategory,
    DecisionStatus,
    Outcome,
    ParticipantRole,
    ParticipationStatus,
    Status,
)


class ApplicationQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def submitted(self):
        """Every application that has left the applicant's hands (not drafts)."""
        return self.exclude(status=Status.DRAFT)

    def awarded(self):
        return self.filter(decision__outcome=Outcome.POSITIVE)

    def followed_up(self):
        """Awarded projects with an approved decision, open or closed: the follow-up's cases."""
        return self.filter(
            status__in=[Status.AWARDED, Status.CLOSED], decision__status=DecisionStatus.APPROVED
        )


class Application(ChoiceLabels, models.Model):
    """A joint project's application: the case from its first draft to its closing."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_applications",
        verbose_name=_("lead applicant"),
    )
    project_name = models.CharField(_("project name"), max_length=250, blank=True)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    emphasis_area = models.ForeignKey(
        EmphasisArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("emphasis area"),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    actions = models.TextField(_("actions"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    dissemination = models.TextField(
        _("spreading and maintaining the results"),
        blank=True,
        help_text=_("How the results are spread to other municipalities and maintained after the project."),
    )
    start_date = models.DateField(_("project starts"), null=True, blank=True)
    end_date = models.DateField(_("project ends"), null=True, blank=True)
    requested_amount = money_field(_("requested grant (€)"), null=True, blank=True)
    own_financing = money_field(_("own financing (€)"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact person's email"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of the application"),
        max_length=2,
        choices=DECISION_LANGUAGES,
        blank=True,
        help_text=_(
            "The language the application is made in; its decision is written in it (Language Act 423/2003). "
            "Empty for a historical case whose language was not published."
        ),
    )
    electronic_notification = models.BooleanField(
        _("consents to electronic notification"),
        default=False,
        help_text=_(
            "Decisions may be notified electronically only with the applicant's consent "
            "(Act on Electronic Services in Government 13/2003 § 19); otherwise they are sent by letter."
        ),
    )
    electronic_notification_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    diary_number = models.CharField(
        _("diary number"),
        max_length=60,
        blank=True,
        help_text=_("The case's number in the ministry's case register, recorded by an official."),
    )
    draft_input = models.JSONField(
        _("input waiting for corrections"),
        default=dict,
        blank=True,
        help_text=_("What the applicant typed into the form when it had errors, kept until corrected."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    case_number = models.CharField(_("case number"), max_length=40, null=True, blank=True, unique=True)
    case_sequence = models.PositiveIntegerField(_("running number in the call"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_historical = models.BooleanField(
        _("imported from published records"),
        default=False,
        help_text=_("A historical case known only from the published results, not submitted in this system."),
    )
    participants_published = models.BooleanField(
        _("participants published"),
        default=True,
        help_text=_("False for historical awards whose participating municipalities were never published."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        # One per sort the officials' worklist offers within a call (the case number's order is the
        # unique constraint's index). Free-text search has trigram indexes on PostgreSQL (migration 0007).
        indexes = [
            models.Index(fields=["call", "status"], name="application_call_status"),
            models.Index(fields=["call", "submitted_at"], name="application_call_submitted"),
            models.Index(fields=["call", "requested_amount"], name="application_call_amount"),
            models.Index(fields=["call", "project_name"], name="application_call_name"),
            # My cases: a municipality's cases as lead (lead, id) sorted by their last change (id,
            # updated_at), each read from the index alone, never from the table's rows. The busiest
            # municipality has some 12 000 cases among a million; reading each from the table cost seconds.
            models.Index(fields=["lead", "id"], name="application_lead_id"),
            models.Index(fields=["id", "updated_at"], name="application_id_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="application_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            # Only a draft has no submission time; a case imported from published records may lack one.
            models.CheckConstraint(
                condition=(
                    Q(status=Status.DRAFT, submitted_at__isnull=True)
                    | (~Q(status=Status.DRAFT) & (Q(submitted_at__isnull=False) | Q(is_historical=True)))
                ),
                name="application_submitted_at_matches_status",
                violation_error_message=_(
                    "A submitted application needs its submission time; a draft has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gte=0),
                name="application_requested_not_negative",
                violation_error_message=_("The requested grant cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(own_financing__isnull=True) | Q(own_financing__gte=0),
                name="application_own_financing_not_negative",
                violation_error_message=_("Own financing cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="application_start_before_end",
                violation_error_message=_("The project must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(case_number__isnull=True, case_sequence__isnull=True)
                | Q(case_number__isnull=False, case_sequence__isnull=False),
                name="application_case_number_with_sequence",
                violation_error_message=_("A case number and its running number go together."),
            ),
            models.CheckConstraint(
                condition=Q(is_historical=True) | ~Q(project_name=""),
                name="application_project_name_required",
                violation_error_message=_("Give the project a name."),
            ),
            models.CheckConstraint(
                condition=Q(is_historical=True) | Q(participants_published=True),
                name="application_participants_published_unless_historical",
                violation_error_message=_("Only historical awards may leave their participants unpublished."),
            ),
            models.UniqueConstraint(
                fields=["call", "case_sequence"],
                name="application_unique_sequence_per_call",
                violation_error_message=_("This running number is already used in the call."),
            ),
        ]

    def __str__(self):
        label = self.project_name or _("Project name not published")
        return f"{self.case_number} {label}" if self.case_number else str(label)

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def document_language(self) -> str:
        """The language of the case's decisions: the application's own, else (a historical case, whose
        language was not published) the lead municipality's majority language."""
        return self.language or self.lead.language

    @property
    def display_name(self):
        return self.project_name or _("Project name not published")

    @property
    def is_draft(self):
        return self.status == Status.DRAFT

    @property
    def is_in_processing(self):
        """Submitted and not yet decided or withdrawn."""
        return self.status == Status.SUBMITTED

    @property
    def has_follow_up(self):
        """Awarded (or awarded and closed) in this system, or a historical award with its decision on
        record: the project has a follow-up page."""
        awarded = self.status in (Status.AWARDED, Status.CLOSED)
        return awarded and (not self.is_historical or hasattr(self, "decision"))

    def get_processing_url(self):
        return reverse("processing:case", kwargs={"pk": self.pk})


# What the lead municipality's staff fill in while the application is a draft.
APPLICANT_FIELDS = (
    "project_name",
    "language",
    "summary",
    "objectives",
    "actions",
    "schedule",
    "expected_results",
    "dissemination",
    "emphasis_area",
    "start_date",
    "end_date",
    "requested_amount",
    "own_financing",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class BudgetLine(ChoiceLabels, models.Model):
    """One line of the project's budget of eligible costs, VAT excluded."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("application")
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = money_field(_("amount, VAT excluded (€)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=CostCategory.values),
                name="budget_line_category_valid",
                violation_error_message=_("Unknown cost category."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_line_amount_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"


class ParticipantQuerySet(models.QuerySet):
    def confirmed_partners(self):
        """Partners that confirmed: with the lead, the municipalities a project's results name."""
        return self.filter(role=ParticipantRole.PARTNER, status=ParticipationStatus.CONFIRMED)


class Participant(ChoiceLabels, models.Model):
    """A municipality taking part in an application: the lead, or a partner that must confirm."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="participants", verbose_name=_("application")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations", verbose_name=_("municipality")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.PARTNER
    )
    status = models.CharField(
        _("participation"),
        max_length=10,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.PENDING,
    )
    share_percent = models.DecimalField(
        _("share of the costs (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or declined by"),
    )
    responded_at = models.DateTimeField(_("confirmed or declined at"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participating municipality")
        verbose_name_plural = _("participating municipalities")
        ordering = ["application_id", "role", "organisation__name_fi"]
        # My cases: the cases a municipality takes part in, read from the index alone.
        indexes = [models.Index(fields=["organisation", "application"], name="participant_organisation_case")]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values),
                name="participant_role_valid",
                violation_error_message=_("Unknown participant role."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipationStatus.values),
                name="participant_status_valid",
                violation_error_message=_("Unknown participation status."),
            ),
            models.CheckConstraint(
                condition=Q(status=ParticipationStatus.PENDING, responded_at__isnull=True)
                | (~Q(status=ParticipationStatus.PENDING) & Q(responded_at__isnull=False)),
                name="participant_responded_at_matches_status",
                violation_error_message=_("A confirmation or a refusal records when it was given."),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=0, share_percent__lte=100),
                name="participant_share_in_range",
                violation_error_message=_("A share is between 0 and 100 %."),
            ),
            models.UniqueConstraint(
                fields=["application", "organisation"],
                name="participant_once_per_application",
                violation_error_message=_("This municipality already takes part in the application."),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(role=ParticipantRole.LEAD),
                name="participant_one_lead_per_application",
                violation_error_message=_("An application has only one lead applicant."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def is_lead(self):
        return self.role == ParticipantRole.LEAD


def attachment_path(instance, filename):
    # Stored under a random name: the original name is kept in the database only, so nothing a user
    # typed ends up in a path on disk.
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an application; a participant's commitment document names its participant."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitment_documents",
        verbose_name=_("commitment of"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application_id", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name
