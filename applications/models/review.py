"""Processing of a submitted application: the eligibility check, requests for information, reviews with
their scores, and the ministry's internal comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels

from .answerable import Answerable
from .application import Application
from .states import (
    ReviewStatus,
)


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


class InformationRequest(Answerable):
    """A request for additional information to the applicant, with a deadline, and the answer."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=_("application"),
    )
    message = models.TextField(_("what is asked"), max_length=5000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta(Answerable.Meta):
        verbose_name = _("request for additional information")
        verbose_name_plural = _("requests for additional information")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.application} – {self.requested_at:%Y-%m-%d}"


class ReviewAssignment(ChoiceLabels, models.Model):
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
    due_date = models.DateField(_("review by"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "assigned_at"]
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
    def is_awaiting_declaration(self):
        return self.status == ReviewStatus.ASSIGNED

    @property
    def has_conflict(self):
        return self.status == ReviewStatus.CONFLICT

    @property
    def is_completed(self):
        return self.status == ReviewStatus.COMPLETED


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
        ordering = ["review_id", "criterion__order"]
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
