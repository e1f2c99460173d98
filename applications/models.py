"""Applications (cases), their participating municipalities, decisions and the case journal."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from grants.models import Call, EmphasisArea, money_field


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Grant awarded")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


DECIDED_STATUSES = (Status.AWARDED, Status.REJECTED, Status.CLOSED)


class ApplicationQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def submitted(self):
        """Every application that has left the applicant's hands (not drafts)."""
        return self.exclude(status=Status.DRAFT)

    def awarded(self):
        return self.filter(decision__outcome=Outcome.POSITIVE)


class Application(models.Model):
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
    def display_name(self):
        return self.project_name or _("Project name not published")

    @property
    def is_draft(self):
        return self.status == Status.DRAFT


# What the lead municipality's staff fill in while the application is a draft.
APPLICANT_FIELDS = (
    "project_name",
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


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    PURCHASED_SERVICES = "purchased_services", _("Purchased services")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other costs")


class BudgetLine(models.Model):
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
        ordering = ["application", "id"]
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


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead applicant")
    PARTNER = "partner", _("Participating municipality")


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Participant(models.Model):
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

    class Meta:
        verbose_name = _("participating municipality")
        verbose_name_plural = _("participating municipalities")
        ordering = ["application", "role", "organisation__name_fi"]
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
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Grant awarded")
    NEGATIVE = "negative", _("Rejected")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Returned to the official")
    APPROVED = "approved", _("Approved")


class DecisionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)


class Decision(models.Model):
    """The grant authority's decision on an application: a maximum grant, or a rejection with grounds.

    An official proposes it, the decision-maker approves it (or returns it); once approved, its
    document is archived unchanged."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision", verbose_name=_("application")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    requested_amount = money_field(
        _("amount applied for (€)"),
        null=True,
        blank=True,
        help_text=_("The request as it stood when decided; empty when it was never published."),
    )
    granted_amount = money_field(_("maximum grant (€)"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    use_period_start = models.DateField(_("use period starts"), null=True, blank=True)
    use_period_end = models.DateField(_("use period ends"), null=True, blank=True)
    language = models.CharField(
        _("language of the decision"),
        max_length=2,
        choices=[("fi", "Suomi"), ("sv", "Svenska")],
        default="fi",
    )
    grounds_fi = models.TextField(_("grounds in Finnish"), blank=True)
    grounds_sv = models.TextField(_("grounds in Swedish"), blank=True)
    conditions_fi = models.TextField(_("conditions in Finnish"), blank=True)
    conditions_sv = models.TextField(_("conditions in Swedish"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    document_html = models.TextField(_("archived decision document"), blank=True)
    document_pdf = models.FileField(_("archived decision PDF"), upload_to="decisions/", blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decision_date", "application"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values),
                name="decision_status_valid",
                violation_error_message=_("Unknown decision status."),
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.APPROVED) | Q(decision_date__isnull=False),
                name="decision_approved_has_date",
                violation_error_message=_("An approved decision has a decision date."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fi", "sv"]),
                name="decision_language_valid",
                violation_error_message=_("Decisions are written in Finnish or Swedish."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values),
                name="decision_outcome_valid",
                violation_error_message=_("Unknown outcome."),
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.POSITIVE, granted_amount__isnull=False, granted_amount__gt=0)
                | Q(outcome=Outcome.NEGATIVE, granted_amount__isnull=True),
                name="decision_amount_matches_outcome",
                violation_error_message=_(
                    "An award states a positive maximum grant; a rejection states none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gte=0),
                name="decision_requested_not_negative",
                violation_error_message=_("The amount applied for cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True)
                | Q(granted_amount__isnull=True)
                | Q(granted_amount__lte=F("requested_amount")),
                name="decision_granted_within_request",
                violation_error_message=_("The grant cannot exceed the amount applied for."),
            ),
            models.CheckConstraint(
                condition=Q(use_period_start__isnull=True)
                | Q(use_period_end__isnull=True)
                | Q(use_period_start__lte=F("use_period_end")),
                name="decision_use_period_start_before_end",
                violation_error_message=_("The use period must start before it ends."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.get_outcome_display()}"

    @property
    def is_approved(self):
        return self.status == DecisionStatus.APPROVED

    def grounds(self):
        return self.grounds_sv if self.language == "sv" else self.grounds_fi

    def conditions(self):
        return self.conditions_sv if self.language == "sv" else self.conditions_fi


class EligibilityCheck(models.Model):
    """An official's check of the call's formal requirements, with a judgement and a note per item."""

    ITEMS = ("arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eligibility", verbose_name=_("application")
    )
    arrived_in_time = models.BooleanField(_("arrived within the application period"))
    arrived_in_time_note = models.TextField(_("note"), blank=True, max_length=2000)
    municipalities = models.BooleanField(_("enough municipalities take part"))
    municipalities_note = models.TextField(_("note"), blank=True, max_length=2000)
    emphasis_area = models.BooleanField(_("one emphasis area"))
    emphasis_area_note = models.TextField(_("note"), blank=True, max_length=2000)
    max_share = models.BooleanField(_("requested grant within the maximum share"))
    max_share_note = models.TextField(_("note"), blank=True, max_length=2000)
    eligible_costs = models.BooleanField(_("the costs are eligible"))
    eligible_costs_note = models.TextField(_("note"), blank=True, max_length=2000)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.application} – {self.checked_at:%Y-%m-%d}"

    @property
    def is_eligible(self):
        return all(getattr(self, item) for item in self.ITEMS)

    def failed_items(self):
        return [(item, getattr(self, f"{item}_note")) for item in self.ITEMS if not getattr(self, item)]


class InformationRequest(models.Model):
    """A request for additional information to the applicant, with a deadline, and the answer."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=_("application"),
    )
    message = models.TextField(_("what is asked"), max_length=5000)
    deadline = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for additional information")
        verbose_name_plural = _("requests for additional information")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="information_answer_with_time",
                violation_error_message=_("An answer records when it was given."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.requested_at:%Y-%m-%d}"

    @property
    def is_answered(self):
        return bool(self.answer)


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    CONFLICT = "conflict", _("Conflict of interest")
    DRAFT = "draft", _("Draft review")
    COMPLETED = "completed", _("Completed")


class ReviewAssignment(models.Model):
    """A reviewer assigned to an application: first a declaration of interests, then the scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    conflict_note = models.TextField(_("about the conflict of interest"), blank=True, max_length=2000)
    declared_at = models.DateTimeField(_("interests declared at"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="review_once_per_reviewer",
                violation_error_message=_("This reviewer is already assigned to the application."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values),
                name="review_status_valid",
                violation_error_message=_("Unknown review status."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.COMPLETED, completed_at__isnull=False)
                | (~Q(status=ReviewStatus.COMPLETED) & Q(completed_at__isnull=True)),
                name="review_completed_at_matches_status",
                violation_error_message=_("A completed review records when it was completed."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.ASSIGNED) | Q(declared_at__isnull=False),
                name="review_declared_before_scoring",
                violation_error_message=_("A reviewer declares their interests before scoring."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.reviewer}"

    @property
    def may_score(self):
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.COMPLETED) and self.declared_at is not None


class Score(models.Model):
    """A reviewer's score (1–5) for one evaluation criterion, with its justification."""

    review = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        "grants.EvaluationCriterion",
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    justification = models.TextField(_("justification"), max_length=3000)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="score_once_per_criterion",
                violation_error_message=_("The criterion is already scored in this review."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="score_between_1_and_5",
                violation_error_message=_("A score is from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class EventKind(models.TextChoices):
    IMPORTED = "imported", _("Imported from published records")
    CREATED = "created", _("Draft started")
    SUBMITTED = "submitted", _("Application submitted")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    PARTICIPANT_ADDED = "participant_added", _("Municipality added")
    PARTICIPANT_REMOVED = "participant_removed", _("Municipality removed")
    PARTICIPATION_CONFIRMED = "participation_confirmed", _("Participation confirmed")
    PARTICIPATION_DECLINED = "participation_declined", _("Participation declined")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    ELIGIBILITY_CHECKED = "eligibility_checked", _("Eligibility checked")
    INFORMATION_REQUESTED = "information_requested", _("Additional information requested")
    INFORMATION_GIVEN = "information_given", _("Additional information given")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    REVIEW_COMPLETED = "review_completed", _("Review completed")
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    PROPOSAL_RETURNED = "proposal_returned", _("Proposal returned")
    DECIDED = "decided", _("Decision made")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PAYMENT_REJECTED = "payment_rejected", _("Payment request rejected")
    PAYMENT_PAID = "payment_paid", _("Payment made")
    CHANGE_REQUESTED = "change_requested", _("Change requested")
    CHANGE_DECIDED = "change_decided", _("Change decided")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_CHECKED = "report_checked", _("Report checked")
    RETURN_DECIDED = "return_decided", _("Return decided")
    REPAYMENT_RECORDED = "repayment_recorded", _("Repayment recorded")
    CLOSED = "closed", _("Case closed")


class CaseEvent(models.Model):
    """One line of the case journal: who did what and when, and the status change it made."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", verbose_name=_("application")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for events recorded by the system itself."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    internal = models.BooleanField(
        _("ministry only"), default=False, help_text=_("Shown to ministry staff only, not to the applicants.")
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case journal")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class InternalComment(models.Model):
    """A ministry-internal note on a case; never shown to applicants."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="internal_comments", verbose_name=_("application")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="internal_comment_not_empty",
                violation_error_message=_("Write the comment."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.author}"


# --- Follow-up of awarded projects ------------------------------------------------------------------


class PaymentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for checking")
    APPROVED = "approved", _("Approved, to be paid")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class PaymentRequest(models.Model):
    """The lead's request to be paid against realised costs of a period, or a payment an official
    records afterwards (for the 2022 projects, whose payments were made outside this system)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payment_requests", verbose_name=_("application")
    )
    period_start = models.DateField(_("costs from"))
    period_end = models.DateField(_("costs until"))
    is_final = models.BooleanField(_("final payment"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.SUBMITTED
    )
    ledger_extract = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("general-ledger extract"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approved_amount = money_field(_("approved payment (€)"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("note of the check"), blank=True, max_length=3000)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["application", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values),
                name="payment_status_valid",
                violation_error_message=_("Unknown payment status."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="payment_period_start_before_end",
                violation_error_message=_("The period must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="payment_amount_not_negative",
                violation_error_message=_("A payment cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PaymentStatus.APPROVED, PaymentStatus.PAID])
                | Q(approved_amount__isnull=False),
                name="payment_approved_has_amount",
                violation_error_message=_("An approved payment has its amount."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID)
                | (Q(paid_on__isnull=False) & ~Q(payment_reference="")),
                name="payment_paid_has_date_and_reference",
                violation_error_message=_("A payment made has its date and payment reference."),
            ),
        ]

    def __str__(self):
        return f"{self.application} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def accepted_costs(self):
        return sum((line.amount for line in self.cost_lines.all() if line.accepted), Decimal("0"))

    @property
    def claimed_costs(self):
        return sum((line.amount for line in self.cost_lines.all()), Decimal("0"))


class CostLine(models.Model):
    """Realised costs of one budget line in a payment request or report; the official may reject it."""

    payment_request = models.ForeignKey(
        PaymentRequest, on_delete=models.CASCADE, related_name="cost_lines", verbose_name=_("payment request")
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = money_field(_("realised cost, VAT excluded (€)"))
    accepted = models.BooleanField(_("accepted"), default=True)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("realised cost")
        verbose_name_plural = _("realised costs")
        ordering = ["payment_request", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="cost_line_amount_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(accepted=True) | ~Q(rejection_reason=""),
                name="cost_line_rejection_has_reason",
                violation_error_message=_("A rejected cost has its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount}"


class ChangeKind(models.TextChoices):
    EXTENSION = "extension", _("Extension of the use period")
    BUDGET = "budget", _("Changes between budget lines")
    PARTICIPANTS = "participants", _("Change of participating municipalities")
    CONTENT = "content", _("Change of content")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_CHANGES = "accepted_with_changes", _("Accepted with changes")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(models.Model):
    """A change the lead applies for before the use period ends, decided by the authority."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("application")
    )
    kind = models.CharField(_("change"), max_length=15, choices=ChangeKind.choices)
    description = models.TextField(_("what is changed and why"), max_length=5000)
    new_use_period_end = models.DateField(_("new end of the use period"), null=True, blank=True)
    budget_changes = models.JSONField(
        _("new amounts of the budget lines"),
        default=dict,
        blank=True,
        help_text=_("Budget line id and its new amount; the total stays the same."),
    )
    new_participant = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality joining"),
    )
    status = models.CharField(
        _("status"), max_length=25, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_use_period_end = models.DateField(_("decided end of the use period"), null=True, blank=True)
    grounds = models.TextField(_("grounds"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["application", "-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values),
                name="change_kind_valid",
                violation_error_message=_("Unknown kind of change."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values),
                name="change_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ChangeKind.EXTENSION) | Q(new_use_period_end__isnull=False),
                name="change_extension_has_date",
                violation_error_message=_("An extension names the new end of the use period."),
            ),
            models.CheckConstraint(
                condition=Q(status=ChangeStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ChangeStatus.PENDING) & Q(decided_at__isnull=False)),
                name="change_decided_at_matches_status",
                violation_error_message=_("A decided change records when it was decided."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.get_kind_display()}"


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class Report(models.Model):
    """An interim or final report: results against the plan and the realised finances, then the
    officials' content check and financial check."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="reports", verbose_name=_("application")
    )
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    achieved = models.TextField(_("what was achieved against the plan"), max_length=10000)
    spread = models.TextField(_("how the results were spread"), max_length=5000)
    continues = models.TextField(_("what continues after the project"), max_length=5000)
    realised_costs = money_field(_("realised eligible costs, VAT excluded (€)"))
    own_financing = money_field(_("realised own financing (€)"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    content_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("content checked by"),
    )
    content_checked_at = models.DateTimeField(_("content checked at"), null=True, blank=True)
    content_note = models.TextField(_("note of the content check"), blank=True, max_length=3000)
    financial_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finances checked by"),
    )
    financial_checked_at = models.DateTimeField(_("finances checked at"), null=True, blank=True)
    accepted_costs = money_field(_("accepted eligible costs (€)"), null=True, blank=True)
    financial_note = models.TextField(_("note of the financial check"), blank=True, max_length=3000)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["application", "submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values),
                name="report_kind_valid",
                violation_error_message=_("Unknown kind of report."),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind=ReportKind.FINAL),
                name="report_one_final_per_application",
                violation_error_message=_("The project has already submitted its final report."),
            ),
            models.CheckConstraint(
                condition=Q(realised_costs__gte=0, own_financing__gte=0)
                & (Q(accepted_costs__isnull=True) | Q(accepted_costs__gte=0)),
                name="report_amounts_not_negative",
                violation_error_message=_("Costs and financing cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.get_kind_display()}"

    @property
    def is_checked(self):
        return self.content_checked_at is not None and self.financial_checked_at is not None


class ReturnStatus(models.TextChoices):
    DECIDED = "decided", _("To be returned")
    REPAID = "repaid", _("Repaid")


class GrantReturn(models.Model):
    """Money paid in excess of what the realised eligible costs justify: the amount, its interest and
    the repayment."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="returns", verbose_name=_("application")
    )
    is_recovery = models.BooleanField(_("recovery (misuse)"), default=False)
    amount = money_field(_("amount to return (€)"))
    interest = money_field(_("interest (€)"))
    interest_until = models.DateField(_("interest counted until"))
    calculation = models.TextField(_("calculation"), blank=True)
    grounds = models.TextField(_("grounds"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DECIDED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    repaid_amount = money_field(_("repaid (€)"), null=True, blank=True)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["application", "decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, interest__gte=0),
                name="return_amounts_valid",
                violation_error_message=_("A return has a positive amount and non-negative interest."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReturnStatus.DECIDED)
                | Q(repaid_amount__isnull=False, repaid_on__isnull=False),
                name="return_repaid_has_amount_and_date",
                violation_error_message=_("A repayment has its amount and date."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.amount} €"


class SentReminder(models.Model):
    """One reminder sent, so that the daily run never sends the same one twice."""

    key = models.CharField(_("reminder"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key
