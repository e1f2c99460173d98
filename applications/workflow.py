"""The application's workflow as data: allowed transitions, who performs them, and the submission rules.

Pure functions over loaded objects; services apply them inside transactions.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import ParticipationStatus, Status

LEAD_STAFF = "lead_staff"

# status -> {target status: who may perform it}
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED: LEAD_STAFF},
    Status.SUBMITTED: {Status.WITHDRAWN: LEAD_STAFF},
}


def can_transition(from_status, to_status):
    return to_status in TRANSITIONS.get(from_status, {})


def performer(from_status, to_status):
    return TRANSITIONS.get(from_status, {}).get(to_status)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    met: bool


REQUIRED_TEXTS = (
    ("project_name", _("project name")),
    ("summary", _("summary")),
    ("objectives", _("objectives")),
    ("actions", _("actions")),
    ("schedule", _("schedule")),
    ("expected_results", _("expected results")),
    ("dissemination", _("spreading and maintaining the results")),
    ("contact_name", _("contact person")),
    ("contact_email", _("contact person's email")),
)


def budget_total(application):
    return sum((line.amount for line in application.budget_lines.all()), Decimal("0"))


def max_grant(application, total=None):
    """The largest grant the call's maximum share allows for the application's eligible costs."""
    total = budget_total(application) if total is None else total
    return (total * application.call.max_share).quantize(Decimal("0.01"), rounding="ROUND_DOWN")


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
