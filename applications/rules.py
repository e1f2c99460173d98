"""The case's rules that are pure computations, one definition each: the budget and the maximum grant,
the report deadline, what is payable, what is returned and its interest. The form, the service, the page,
the decision letter and the reminders all call these."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import WorkflowError
from .models import ParticipationStatus, PaymentStatus, ReturnStatus, Status

CENT = Decimal("0.01")


# Sums of 100 euros or less need not be returned (State Aid Act 688/2001 § 20).
RETURN_THRESHOLD = Decimal("100")


# Interest on returned grants: the reference rate plus three percentage points (§ 24).
INTEREST_MARGIN = Decimal("3")

# Late-payment interest after the due date (§ 25): the Interest Act's (633/1982) § 4(1) rate, the
# reference rate plus seven percentage points.
LATE_INTEREST_MARGIN = Decimal("7")

# Recovery is possible for ten years from the payment of the grant or its last instalment (§ 28).
RECOVERY_YEARS = 10


def cents_down(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def payable_amount(*, granted, share, eligible_costs, already_paid):
    """min(eligible realised costs × maximum share − already paid, maximum grant − already paid), never
    below zero. `already_paid` includes payments approved but not yet paid."""
    by_costs = cents_down(eligible_costs * share) - already_paid
    by_grant = granted - already_paid
    return max(Decimal("0"), min(by_costs, by_grant))


def return_amount(*, paid, accepted_costs, share, granted):
    """What was paid beyond what the accepted costs justify; nothing when it is 100 € or less."""
    justified = min(cents_down(accepted_costs * share), granted)
    excess = paid - justified
    return excess if excess > RETURN_THRESHOLD else Decimal("0")


@dataclass
class InterestLine:
    amount: Decimal
    start: dt.date
    end: dt.date
    rate: Decimal
    days: int
    interest: Decimal


@dataclass
class InterestResult:
    total: Decimal
    lines: list[InterestLine] = field(default_factory=list)


def allocate_to_payments(excess, payments):
    """The excess comes from the latest payments first: [(amount, payment date)]."""
    portions, left = [], excess
    for amount, paid_on in sorted(payments, key=lambda p: p[1], reverse=True):
        if left <= 0:
            break
        portion = min(amount, left)
        portions.append((portion, paid_on))
        left -= portion
    return portions


def interest(portions, until, rates, margin=INTEREST_MARGIN):
    """Simple interest, actual days / 365, at each day's reference rate + `margin` percentage points (3
    under § 24, 7 for late payment under § 25), on each portion from its date until `until`. `rates` is
    [(valid from, rate %)]."""
    rates = sorted(rates)
    if not rates and portions:
        raise WorkflowError(
            _("Enter the reference rates first: the interest cannot be computed without them.")
        )
    lines = []
    for amount, start in portions:
        if start < rates[0][0]:
            raise WorkflowError(
                _("No reference rate is recorded for %(date)s.") % {"date": start.strftime("%d.%m.%Y")}
            )
        for index, (valid_from, rate) in enumerate(rates):
            valid_to = rates[index + 1][0] if index + 1 < len(rates) else until
            segment_start, segment_end = max(start, valid_from), min(until, valid_to)
            days = (segment_end - segment_start).days
            if days <= 0:
                continue
            yearly = rate + margin
            value = (amount * yearly / Decimal(100) * Decimal(days) / Decimal(365)).quantize(
                CENT, ROUND_HALF_UP
            )
            lines.append(InterestLine(amount, segment_start, segment_end, yearly, days, value))
    return InterestResult(total=sum((line.interest for line in lines), Decimal("0")), lines=lines)


# Notification and the rectification period.
# An electronic message sent with consent is deemed received on the third day after it was sent (Act on
# Electronic Services in Government 13/2003 § 19); a letter on the seventh day (Administrative Procedure
# Act 434/2003 § 59); "unless shown otherwise" in both.
PRESUMED_DAYS = {"electronic": 3, "letter": 7}
# A rectification request is made within 30 days of notification (434/2003 § 49 c).
RECTIFICATION_DAYS = 30


def presumed_notified_on(method: str, sent_on: dt.date) -> dt.date:
    return sent_on + dt.timedelta(days=PRESUMED_DAYS[method])


def is_closed_day(day: dt.date) -> bool:
    """A day on which a time limit cannot end (Act on the Calculation of Time Limits 150/1930 § 5): a
    Saturday or Sunday, a public holiday, Independence Day, May Day, Christmas Eve or Midsummer Eve, as the
    `holidays` package lists Finland's (it includes both eves)."""
    return day.weekday() >= 5 or day in holidays.Finland(years=day.year)


def first_working_day(day: dt.date) -> dt.date:
    while is_closed_day(day):
        day += dt.timedelta(days=1)
    return day


def rectification_deadline(notified_on: dt.date | None) -> dt.date | None:
    """The last day to request rectification: 30 days, the day of notification not counted (150/1930
    § 2), moved to the next working day if it falls on a closed day (§ 5)."""
    if notified_on is None:
        return None
    return first_working_day(notified_on + dt.timedelta(days=RECTIFICATION_DAYS))


@dataclass
class Debt:
    """Where a return or recovery stands on a day: what was decided, the late-payment interest accrued
    since the due date on what was unpaid, what was repaid, and what is still open."""

    decided: Decimal
    late_interest: InterestResult
    repaid: Decimal

    @property
    def open(self) -> Decimal:
        return max(Decimal("0"), self.decided + self.late_interest.total - self.repaid)

    @property
    def settled(self) -> bool:
        return self.open == 0


def debt(*, decided: Decimal, due_date: dt.date | None, repayments, until: dt.date, rates) -> Debt:
    """`decided` (the amount and the § 24 interest until the due date) less `repayments` [(amount, day)],
    with § 25 late-payment interest on the balance unpaid after the due date: each repayment lowers the
    balance from its day. A partial repayment leaves the rest open."""
    repayments = sorted((day, amount) for amount, day in repayments if day <= until)
    repaid = sum((amount for _day, amount in repayments), Decimal("0"))
    if due_date is None:
        return Debt(decided, InterestResult(Decimal("0")), repaid)
    balance = decided - sum((amount for day, amount in repayments if day <= due_date), Decimal("0"))
    lines: list[InterestLine] = []
    start = due_date
    for day, amount in [*[(d, a) for d, a in repayments if d > due_date], (until, Decimal("0"))]:
        if balance > 0 and day > start:
            lines += interest([(balance, start)], day, rates, margin=LATE_INTEREST_MARGIN).lines
        balance -= amount
        start = max(start, day)
    return Debt(decided, InterestResult(sum((x.interest for x in lines), Decimal("0")), lines), repaid)


def recovery_possible_until(last_payment: dt.date | None) -> dt.date | None:
    """The last day a recovery can be decided: ten years after the last payment (§ 28)."""
    return add_months(last_payment, 12 * RECOVERY_YEARS) if last_payment else None


def appropriation_lapse_warning(call, new_end: dt.date | None) -> str | None:
    """A warning when a use period would run past the last day the call's (transfer) appropriation can be
    used for payments: what is paid after it cannot come from this appropriation."""
    lapse = call.appropriation_available_until
    if new_end is None or lapse is None or new_end <= lapse:
        return None
    return _(
        "The new end of the use period, %(end)s, is after the last day the appropriation can be used for "
        "payments, %(lapse)s: payments after that day cannot be made from this appropriation."
    ) % {"end": new_end.strftime("%d.%m.%Y"), "lapse": lapse.strftime("%d.%m.%Y")}


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def budget_total(application):
    return sum((line.amount for line in application.budget_lines.all()), Decimal("0"))


def share_ceiling(total: Decimal, call) -> Decimal:
    """The call's maximum share of `total` eligible costs, rounded down to the cent."""
    return (total * call.max_share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def max_grant(application, total=None):
    """The largest grant the call's maximum share allows for the application's eligible costs."""
    total = budget_total(application) if total is None else total
    return share_ceiling(total, application.call)


def already_takes_part(organisation) -> str:
    """A municipality takes part in an application once; the form, the services and a change of
    participants say so in the same words."""
    return _("%(name)s already takes part in the application.") % {"name": organisation.name}


def report_due(use_period_end: dt.date | None, call) -> dt.date | None:
    """The final report is due the call's `final_report_months` after the use period ends."""
    return add_months(use_period_end, call.final_report_months) if use_period_end else None


def project_report_due(application) -> dt.date | None:
    """The project's final report deadline; none for a historical (2022) project, whose reporting duty was
    not published and is not presented as if it were known."""
    if application.is_historical:
        return None
    return report_due(application.decision.use_period_end, application.call)


def is_report_overdue(application, *, due: dt.date | None, has_final_report: bool, today: dt.date) -> bool:
    """An awarded project without its final report past the due date. The historical (2022) projects
    reported outside this system: for them nothing is "overdue", it is just not recorded."""
    return (
        application.status == Status.AWARDED
        and not application.is_historical
        and not has_final_report
        and due is not None
        and due < today
    )


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    met: bool


REQUIRED_TEXTS = (
    ("project_name", gettext_lazy("project name")),
    ("summary", gettext_lazy("summary")),
    ("objectives", gettext_lazy("objectives")),
    ("actions", gettext_lazy("actions")),
    ("schedule", gettext_lazy("schedule")),
    ("expected_results", gettext_lazy("expected results")),
    ("dissemination", gettext_lazy("spreading and maintaining the results")),
    ("contact_name", gettext_lazy("contact person")),
    ("contact_email", gettext_lazy("contact person's email")),
)


def submission_checklist(application, now):
    """Every rule that must hold for the lead to submit, in plain language, met or not."""
    call = application.call
    participants = list(application.participants.all())
    active = [p for p in participants if p.status != ParticipationStatus.DECLINED]
    confirmed = [p for p in active if p.status == ParticipationStatus.CONFIRMED]
    pending = [p for p in active if p.status == ParticipationStatus.PENDING]
    total = budget_total(application)
    requested = application.requested_amount
    own = application.own_financing
    missing = [
        str(label) for field, label in REQUIRED_TEXTS if not str(getattr(application, field) or "").strip()
    ]
    dates_ok = (
        application.start_date is not None
        and application.end_date is not None
        and application.start_date <= application.end_date
        and (call.use_period_start is None or application.start_date >= call.use_period_start)
        and application.end_date <= call.use_period_end
    )
    shares = sum((p.share_percent or Decimal("0") for p in active), Decimal("0"))
    return [
        Rule("call_open", _("The call is open for applications."), call.is_open(now)),
        Rule("draft", _("The application has not been submitted yet."), application.status == Status.DRAFT),
        Rule(
            "required_fields",
            _("Every required field is filled in.")
            if not missing
            else _("These required fields are empty: %(fields)s.") % {"fields": ", ".join(missing)},
            not missing,
        ),
        Rule(
            "no_pending_input",
            _("No entries are waiting for corrections on the form."),
            not application.draft_input,
        ),
        Rule(
            "emphasis_area",
            _("One of the call's emphasis areas is chosen."),
            application.emphasis_area_id is not None,
        ),
        Rule("dates", _("The project's dates are within the call's use period."), dates_ok),
        Rule("budget", _("The budget has at least one cost and a total above zero."), total > 0),
        Rule(
            "financing_balances",
            _("The requested grant and own financing add up to the total eligible costs."),
            requested is not None and own is not None and requested + own == total and total > 0,
        ),
        Rule(
            "max_share",
            _("The requested grant is above zero and at most %(share)s %% of the eligible costs.")
            % {"share": f"{call.max_share_percent.normalize():f}"},
            requested is not None and Decimal("0") < requested <= max_grant(application, total),
        ),
        Rule(
            "municipalities",
            _("At least %(minimum)s municipalities, the lead included, have confirmed their participation.")
            % {"minimum": call.min_municipalities},
            len(confirmed) >= call.min_municipalities,
        ),
        Rule("no_pending", _("No municipality is still waiting to confirm."), not pending),
        Rule(
            "shares",
            _("Every participating municipality has a share of the costs, and the shares add up to 100 %."),
            all(p.share_percent is not None for p in active) and shares == Decimal("100"),
        ),
    ]


def unmet_rules(application, now):
    return [rule for rule in submission_checklist(application, now) if not rule.met]


@dataclass(frozen=True)
class ProjectFigures:
    granted: Decimal
    share: Decimal
    use_period_start: dt.date | None
    use_period_end: dt.date | None
    paid: Decimal
    approved_unpaid: Decimal
    eligible_costs: Decimal
    available: Decimal
    returned: Decimal
    to_return: Decimal
    report_due: dt.date | None
    interim_due: dt.date | None

    @property
    def committed(self):
        return self.paid + self.approved_unpaid


def figures(application):
    """What was granted, paid, is still available, and when reports are due."""
    decision = application.decision
    call = application.call
    payments = list(application.payment_requests.all())
    paid = sum((p.approved_amount for p in payments if p.status == PaymentStatus.PAID), Decimal("0"))
    approved = sum((p.approved_amount for p in payments if p.status == PaymentStatus.APPROVED), Decimal("0"))
    eligible = sum(
        (p.accepted_costs for p in payments if p.status in (PaymentStatus.APPROVED, PaymentStatus.PAID)),
        Decimal("0"),
    )
    returns = list(application.returns.all())
    returned = sum((r.repaid_amount or Decimal("0") for r in returns), Decimal("0"))
    to_return = sum(
        (r.amount + r.interest for r in returns if r.status == ReturnStatus.DECIDED), Decimal("0")
    )
    end = decision.use_period_end
    return ProjectFigures(
        granted=decision.granted_amount or Decimal("0"),
        share=call.max_share,
        use_period_start=decision.use_period_start,
        use_period_end=end,
        paid=paid,
        approved_unpaid=approved,
        eligible_costs=eligible,
        available=(decision.granted_amount or Decimal("0")) - paid - approved,
        returned=returned,
        to_return=to_return,
        report_due=project_report_due(application),
        interim_due=call.interim_report_due if call.interim_report_required else None,
    )
