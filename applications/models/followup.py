"""The follow-up of an awarded project: payments and their costs, changes, reports, returns, and the
reminders sent."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.choices import ChoiceLabels
from core.fields import money_field

from .answerable import Answerable
from .application import Application, Attachment
from .states import (
    ChangeKind,
    ChangeStatus,
    CostCategory,
    PaymentStatus,
    ReportKind,
    ReturnBasis,
    ReturnStatus,
)


class PaymentRequest(ChoiceLabels, models.Model):
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
        ordering = ["application_id", "submitted_at", "id"]
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


class CostLine(ChoiceLabels, models.Model):
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
        ordering = ["payment_request_id", "id"]
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


class ChangeRequest(ChoiceLabels, models.Model):
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
        ordering = ["application_id", "-submitted_at"]
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


class Report(ChoiceLabels, models.Model):
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
        ordering = ["application_id", "submitted_at"]
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


class Hearing(ChoiceLabels, Answerable):
    """Hearing the municipality before a return or recovery decision (Administrative Procedure Act
    434/2003 § 34): what the ministry intends and why, a deadline, and the answer."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("application")
    )
    basis = models.CharField(_("ground"), max_length=15, choices=ReturnBasis.choices)
    proposed_amount = money_field(_("amount considered (€)"))
    stop_payments = models.BooleanField(_("payments would be stopped"), default=False)
    facts = models.TextField(_("what the ministry intends and why"), max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta(Answerable.Meta):
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["application_id", "-sent_at"]
        constraints = [
            *Answerable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(basis__in=ReturnBasis.values),
                name="hearing_basis_valid",
                violation_error_message=_("Unknown ground."),
            ),
            models.CheckConstraint(
                condition=Q(proposed_amount__gt=0),
                name="hearing_amount_positive",
                violation_error_message=_("The amount considered must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.get_basis_display()} {self.deadline:%d.%m.%Y}"

    def is_concluded(self, today) -> bool:
        """Answered, or its deadline has passed: the decision may be made."""
        return self.answered_at is not None or today > self.deadline


class GrantReturn(ChoiceLabels, models.Model):
    """A decision that money paid is returned (§ 20) or recovered (§§ 21–22): the amount, the interest
    until the due date (§ 24), the account and reference to pay to, and the repayments (late-payment
    interest § 25 runs on what is unpaid after the due date)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="returns", verbose_name=_("application")
    )
    is_recovery = models.BooleanField(_("recovery (misuse)"), default=False)
    basis = models.CharField(
        _("ground"), max_length=15, choices=ReturnBasis.choices, default=ReturnBasis.EXCESS
    )
    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("hearing"),
    )
    stop_payments = models.BooleanField(_("payments stopped"), default=False)
    amount = money_field(_("amount to return (€)"))
    interest = money_field(_("interest (€)"))
    interest_until = models.DateField(_("interest counted until"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    iban = models.CharField(_("account (IBAN)"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    reference = models.CharField(_("payment reference"), max_length=40, blank=True)
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
        ordering = ["application_id", "decided_at"]
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
            models.CheckConstraint(
                condition=Q(basis__in=ReturnBasis.values),
                name="return_basis_valid",
                violation_error_message=_("Unknown ground."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(interest_until=F("due_date")),
                name="return_interest_until_due_date",
                violation_error_message=_("The interest of § 24 is counted until the due date."),
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.amount} €"

    @property
    def principal_and_interest(self):
        return self.amount + self.interest


class Repayment(models.Model):
    """One payment the municipality made against a return or recovery decision; a part leaves the rest
    open."""

    grant_return = models.ForeignKey(
        GrantReturn, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("return")
    )
    amount = money_field(_("repaid (€)"))
    paid_on = models.DateField(_("repaid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["grant_return_id", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="repayment_amount_positive",
                violation_error_message=_("A repayment must be above zero."),
            ),
        ]

    def __str__(self):
        return f"{self.grant_return} – {self.amount} € {self.paid_on:%d.%m.%Y}"


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
