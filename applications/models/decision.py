"""The decision on an application: the official's proposal and the decision-maker's approval."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels
from core.fields import money_field

from .application import Application
from .states import (
    DECISION_LANGUAGES,
    DecisionStatus,
    Outcome,
)


class DecisionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)

    def published_awards(self):
        """Approved grants of calls whose results are published: the one definition of what the results
        page, its CSV, 360Giving and the API may show."""
        return self.filter(
            status=DecisionStatus.APPROVED,
            outcome=Outcome.POSITIVE,
            application__call__results_published_on__isnull=False,
        )


class Decision(ChoiceLabels, models.Model):
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
        choices=DECISION_LANGUAGES,
        blank=True,
        help_text=_("Empty for a historical decision whose language was not published."),
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
                condition=Q(language__in=["fi", "sv", ""]),
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
