"""Grant programmes, their calls for applications, emphasis areas and evaluation criteria."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.choices import ChoiceLabels
from core.fields import money_field
from core.translation import Localized
from core.validators import validate_iban


class Programme(models.Model):
    """A standing grant programme of the authority, such as the municipal digitalisation incentive."""

    authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("grant authority")
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    legal_basis_fi = models.TextField(_("legal basis in Finnish"), blank=True)
    legal_basis_sv = models.TextField(_("legal basis in Swedish"), blank=True)
    legal_basis_en = models.TextField(_("legal basis in English"), blank=True)
    repayment_iban = models.CharField(
        _("account for repayments (IBAN)"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
        help_text=_("Printed on return and recovery decisions; such decisions cannot be made without it."),
    )
    repayment_bic = models.CharField(_("BIC of the account for repayments"), max_length=11, blank=True)

    name = Localized("name")
    legal_basis = Localized("legal_basis")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name_fi"]

    def __str__(self):
        return self.name_fi


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CallQuerySet(models.QuerySet):
    def public(self):
        """What applicants and the public see: never a draft."""
        return self.exclude(status=CallStatus.DRAFT)

    def open_at(self, moment):
        return self.public().filter(opens_at__lte=moment, closes_at__gt=moment)

    def open(self):
        return self.open_at(timezone.now())

    def results_published(self):
        return self.filter(results_published_on__isnull=False)


class Call(ChoiceLabels, models.Model):
    """One call for applications (haku / utlysning) with its appropriation, dates and rules."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    # A call is prepared as a draft that only the ministry sees, and opened (published) through the
    # workflow's "open" (applications.workflow.CALL); the calls that ship as fixtures are published.
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.PUBLISHED
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    closed_early_reason = models.TextField(
        _("reason for ending the application period early"),
        blank=True,
        help_text=_("Shown on the call's page when an official ends the application period before its time."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    purpose_fi = models.TextField(_("purpose in Finnish"))
    purpose_sv = models.TextField(_("purpose in Swedish"))
    purpose_en = models.TextField(_("purpose in English"), blank=True)
    rules_fi = models.TextField(_("eligibility rules in Finnish"), blank=True)
    rules_sv = models.TextField(_("eligibility rules in Swedish"), blank=True)
    rules_en = models.TextField(_("eligibility rules in English"), blank=True)
    legal_basis_fi = models.TextField(
        _("legal basis in Finnish"),
        blank=True,
        help_text=_("The laws the call rests on; when empty, the programme's legal basis is cited."),
    )
    legal_basis_sv = models.TextField(_("legal basis in Swedish"), blank=True)
    legal_basis_en = models.TextField(_("legal basis in English"), blank=True)
    terms_fi = models.TextField(
        _("terms of this call in Finnish"),
        blank=True,
        help_text=_(
            "Terms of this call in addition to the general terms of the state grant; they are attached to "
            "every decision of the call."
        ),
    )
    terms_sv = models.TextField(_("terms of this call in Swedish"), blank=True)
    terms_en = models.TextField(_("terms of this call in English"), blank=True)
    appropriation = money_field(_("appropriation (€)"), help_text=_("Awards may never exceed this sum."))
    budget_item = models.CharField(
        _("budget item"),
        max_length=20,
        blank=True,
        help_text=_("The state budget item the grants are paid from, for example 28.90.32."),
    )
    appropriation_available_until = models.DateField(
        _("appropriation available until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day the appropriation can be used for payments (a transfer appropriation lapses). "
            "Extending a use period beyond it is warned about."
        ),
    )
    diary_number = models.CharField(
        _("diary number"),
        max_length=60,
        blank=True,
        help_text=_("The call's number in the ministry's case register."),
    )
    opens_at = models.DateTimeField(
        _("application period opens"),
        null=True,
        blank=True,
        help_text=_("May be empty for a historical call whose opening was not published."),
    )
    closes_at = models.DateTimeField(_("application period closes"))
    closing_time_published = models.BooleanField(
        _("closing time published"),
        default=True,
        help_text=_(
            "Off for a historical call whose closing day was published without a time of day: only the day "
            "is shown."
        ),
    )
    use_period_start = models.DateField(_("use period starts"), null=True, blank=True)
    use_period_end = models.DateField(_("use period ends"))
    max_share_percent = models.DecimalField(
        _("maximum share of eligible costs (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("85.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    min_municipalities = models.PositiveSmallIntegerField(
        _("minimum number of municipalities"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("The lead applicant included. Joint projects need at least two."),
    )
    case_number_prefix = models.CharField(_("case number prefix"), max_length=20, default="VM")
    interim_report_required = models.BooleanField(_("interim report required"), default=False)
    interim_report_due = models.DateField(_("interim report due"), null=True, blank=True)
    final_report_months = models.PositiveSmallIntegerField(
        _("final report due (months after the use period)"), default=2
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)
    # Bumped whenever anything the public results page shows changes (applications/cache.py): the cached
    # page is stored under this number, so every server process sees a change at once.
    results_version = models.PositiveIntegerField(default=0, editable=False)
    # When the published results last changed (a correction after publication), for the open data's
    # Last-Modified; publication itself is results_published_on.
    results_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    applications_received = models.PositiveIntegerField(
        _("applications received (published figure)"),
        null=True,
        blank=True,
        help_text=_("For historical calls whose applications are not all in the system."),
    )

    name = Localized("name")
    purpose = Localized("purpose")
    rules = Localized("rules")
    own_legal_basis = Localized("legal_basis")
    terms = Localized("terms")

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(opens_at__lt=F("closes_at")),
                name="call_period_start_before_end",
                violation_error_message=_("The application period must open before it closes."),
            ),
            models.CheckConstraint(
                condition=Q(appropriation__gte=0),
                name="call_appropriation_not_negative",
                violation_error_message=_("The appropriation cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(max_share_percent__gt=0, max_share_percent__lte=100),
                name="call_max_share_in_range",
                violation_error_message=_("The maximum share must be more than 0 and at most 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(min_municipalities__gte=1),
                name="call_min_municipalities_positive",
                violation_error_message=_("At least one municipality is needed."),
            ),
            models.CheckConstraint(
                condition=Q(use_period_start__isnull=True) | Q(use_period_start__lte=F("use_period_end")),
                name="call_use_period_start_before_end",
                violation_error_message=_("The use period must start before it ends."),
            ),
            models.UniqueConstraint(
                fields=["case_number_prefix", "year"],
                name="call_unique_prefix_year",
                violation_error_message=_(
                    "Another call of the same year already uses this case number prefix."
                ),
            ),
        ]

    def __str__(self):
        return self.name_fi

    def get_absolute_url(self):
        return reverse("grants:call-detail", kwargs={"slug": self.slug})

    @property
    def closes_on(self):
        """The Helsinki day the application period closes."""
        return timezone.localdate(self.closes_at)

    def is_open(self, moment=None):
        moment = moment or timezone.now()
        return not self.is_draft and self.opens_at is not None and self.opens_at <= moment < self.closes_at

    @property
    def is_draft(self):
        return self.status == CallStatus.DRAFT

    @property
    def legal_basis(self):
        """The call's own legal basis, or its programme's."""
        return self.own_legal_basis or self.programme.legal_basis

    @property
    def results_published(self):
        return self.results_published_on is not None

    @property
    def max_share(self):
        """The maximum share as a fraction (0.85)."""
        return self.max_share_percent / Decimal(100)


class EmphasisArea(models.Model):
    """One of the call's emphasis areas; an application emphasises exactly one."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="emphasis_areas", verbose_name=_("call")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_fi = models.TextField(_("name in Finnish"))
    name_sv = models.TextField(_("name in Swedish"))
    name_en = models.TextField(_("name in English"), blank=True)

    name = Localized("name")

    class Meta:
        verbose_name = _("emphasis area")
        verbose_name_plural = _("emphasis areas")
        ordering = ["call_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "number"],
                name="emphasis_area_unique_number",
                violation_error_message=_("The call already has an emphasis area with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class EvaluationCriterion(models.Model):
    """A criterion that reviewers score applications against, with its weight."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="evaluation_criteria", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00"))

    name = Localized("name")
    description = Localized("description")

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["call_id", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("The weight must be positive."),
            ),
        ]

    def __str__(self):
        return self.name


class CallContact(models.Model):
    """A public contact person for a call, as named in its publications."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("call"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    title = Localized("title")

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["call_id", "order"]

    def __str__(self):
        return self.name


class ReferenceRate(models.Model):
    """The reference rate of the Interest Act (633/1982) § 12, for the interest on returned grants.

    Maintained by the administrators from the Bank of Finland's publication; a rate holds from its date
    until the next one."""

    valid_from = models.DateField(_("valid from"), unique=True)
    rate = models.DecimalField(_("reference rate (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the rate was published, for example the Bank of Finland's notice in Finlex."),
    )

    class Meta:
        verbose_name = _("reference rate")
        verbose_name_plural = _("reference rates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=-10, rate__lte=50),
                name="reference_rate_plausible",
                violation_error_message=_("A reference rate is between -10 and 50 %."),
            ),
        ]

    def __str__(self):
        return f"{self.valid_from:%d.%m.%Y}: {self.rate} %"
