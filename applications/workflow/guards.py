"""The workflow's guards: each says why an action is refused now (or None), in the user's language.

A guard takes (object, user, context); the context holds `now` and what the action is asked with."""

from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Call

from .. import rules
from ..models import (
    Application,
    ChangeStatus,
    Decision,
    DecisionStatus,
    Outcome,
    PaymentStatus,
    ReportKind,
    ReturnStatus,
    Status,
)
from ..statemachine import DRAFT_ONLY, Performer, case_for, holds


def _call_of(obj) -> Call:
    return obj if isinstance(obj, Call) else case_for(obj).call


def call_open(obj, user, context):
    if not _call_of(obj).is_open(context["now"]):
        return _("The call is not open for applications.")
    return None


def call_ready_to_open(obj, user, context):
    """Everything an applicant needs before a call is published: where to apply, how it is assessed, whom
    to ask, and a deadline still ahead."""
    missing = []
    if not obj.emphasis_areas.exists():
        missing.append(_("at least one emphasis area"))
    if not obj.evaluation_criteria.exists():
        missing.append(_("at least one evaluation criterion"))
    if not obj.contacts.exists():
        missing.append(_("at least one contact person"))
    if missing:
        return _("The call cannot be opened yet: it needs %(missing)s.") % {"missing": ", ".join(missing)}
    if obj.closes_at <= context["now"]:
        return _("The application period has already ended; set a closing time in the future.")
    return None


def results_not_published(obj, user, context):
    if _call_of(obj).results_published:
        return _("The call's results have been published: the call's applications can no longer change.")
    return None


def application_period_ended(obj, user, context):
    call = _call_of(obj)
    if context["now"] < call.closes_at:
        return _("Decisions are made after the application period has ended (%(date)s).") % {
            "date": timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")
        }
    return None


def submission_rules_met(obj, user, context):
    problems = rules.unmet_rules(obj, context["now"])
    if problems:
        return _("The application cannot be submitted yet: %(rules)s") % {
            "rules": " ".join(str(rule.label) for rule in problems)
        }
    return None


def case_in_processing(obj, user, context):
    case = case_for(obj)
    if case.status == Status.WITHDRAWN:
        return _("The application has been withdrawn.")
    if case.status != Status.SUBMITTED:
        return _("Only a submitted application that has not been decided can be processed.")
    return None


def case_followed_up(obj, user, context):
    case = case_for(obj)
    if case.status == Status.CLOSED:
        return _("The case is closed.")
    if case.status != Status.AWARDED:
        return _("Only an awarded project is followed up.")
    return None


def not_own_proposal(obj, user, context):
    # Ministry decisions are made on presentation: the presenter (esittelijä) and the decision-maker are two
    # different people, both named on the decision (verified in the November 2026 legal review).
    if obj.proposed_by_id is not None and obj.proposed_by_id == getattr(user, "pk", None):
        return _("You presented this proposal; another decision-maker must decide it.")
    return None


def eligible_if_positive(obj, user, context):
    if context.get("outcome") == Outcome.POSITIVE:
        check = getattr(case_for(obj), "eligibility", None)
        if check is None or not check.is_eligible:
            return _("Only an application found eligible can be awarded a grant.")
    return None


def review_complete(obj, user, context):
    criteria = {criterion.pk for criterion in case_for(obj).call.evaluation_criteria.all()}
    saved = {score.criterion_id: score for score in obj.scores.all()}
    if set(saved) != criteria or any(not score.justification.strip() for score in saved.values()):
        return _("Score every criterion and justify each score before completing the review.")
    return None


def final_report_checked(obj, user, context):
    case = case_for(obj)
    if not case.reports.filter(kind=ReportKind.FINAL, financial_checked_at__isnull=False).exists():
        return _("The case is closed after the final report has been checked.")
    return None


def payments_settled(obj, user, context):
    open_statuses = [PaymentStatus.SUBMITTED, PaymentStatus.APPROVED]
    if case_for(obj).payment_requests.filter(status__in=open_statuses).exists():
        return _("Payments are still open.")
    return None


def returns_repaid(obj, user, context):
    if case_for(obj).returns.filter(status=ReturnStatus.DECIDED).exists():
        return _("A return is still waiting for repayment.")
    return None


def use_period_not_ended(obj, user, context):
    end = case_for(obj).decision.use_period_end
    if end and timezone.localdate(context["now"]) > end:
        return _("Changes are applied for before the use period ends.")
    return None


def draft_or_joining(obj, user, context):
    """A partner answers while the application is a draft; after the award, a municipality named in a
    pending change of participants answers that change."""
    case = case_for(obj)
    if case.status == Status.DRAFT:
        return None
    if (
        case.status == Status.AWARDED
        and case.change_requests.filter(
            status=ChangeStatus.PENDING, new_participant_id=obj.organisation_id
        ).exists()
    ):
        return None
    return str(DRAFT_ONLY)


def commitment_by_its_partner(obj, user, context):
    # The lead removes the application's own files; a partner's commitment document is its partner's.
    if obj.participant_id is not None and not holds(user, Performer.PARTNER_STAFF, obj):
        return _("A commitment document is removed by its own municipality.")
    if obj.participant_id is None and not holds(user, Performer.LEAD_STAFF, obj):
        return _("Only %(who)s can do this.") % {"who": Performer.LEAD_STAFF.label}
    return None


def every_application_decided(obj, user, context):
    undecided = Application.objects.filter(call=obj, status=Status.SUBMITTED).count()
    if undecided:
        return _(
            "%(count)s applications still wait for a decision; results are published when all are decided."
        ) % {"count": undecided}
    if not Decision.objects.filter(application__call=obj, status=DecisionStatus.APPROVED).exists():
        return _("The call has no decisions to publish.")
    return None


def last_payment_day(case):
    return (
        case.payment_requests.filter(status=PaymentStatus.PAID)
        .order_by("-paid_on")
        .values_list("paid_on", flat=True)
        .first()
    )


def recovery_possible(obj, user, context):
    """A return or recovery is decided on an awarded project, or on a closed one within ten years of the
    last payment (§ 28): the decision then reopens the case."""
    case = case_for(obj)
    if case.status == Status.AWARDED:
        return None
    if case.status != Status.CLOSED:
        return _("Only an awarded project is followed up.")
    until = rules.recovery_possible_until(last_payment_day(case))
    if until is None or timezone.localdate(context["now"]) > until:
        return _("Recovery is no longer possible: ten years have passed since the last payment (§ 28).")
    return None


def hearing_concluded(obj, user, context):
    """The municipality is heard before a return or recovery decision: the decision is made after its
    answer or after the hearing's deadline."""
    hearing = context.get("hearing") or getattr(obj, "hearing", None)
    if hearing is None:
        return _("Hear the municipality first.")
    if not hearing.is_concluded(timezone.localdate(context["now"])):
        return _("The municipality may answer until %(date)s; decide after its answer or after that day.") % {
            "date": hearing.deadline.strftime("%d.%m.%Y")
        }
    return None


def hearing_open(obj, user, context):
    if timezone.localdate(context["now"]) > obj.deadline:
        return _("The deadline for answering has passed.")
    return None


def payments_not_stopped(obj, user, context):
    """§ 21: a recovery decision may stop further payments."""
    if case_for(obj).returns.filter(stop_payments=True, status=ReturnStatus.DECIDED).exists():
        return _("Payments are stopped by a recovery decision.")
    return None


def electronic_notification_consented(obj, user, context):
    """A decision is notified electronically only with the applicant's consent (13/2003 § 19)."""
    if not obj.application.electronic_notification:
        return _("The applicant has not consented to electronic notification.")
    return None


def rectification_in_time(obj, user, context):
    """A request is made within 30 days of notification (434/2003 § 49 c); before the notification is
    recorded the period has not started."""
    deadline = rules.rectification_deadline(obj.document.notified_on)
    if deadline is not None and timezone.localdate(context["now"]) > deadline:
        return _("The period for requesting rectification ended on %(date)s.") % {
            "date": deadline.strftime("%d.%m.%Y")
        }
    return None


def not_the_decisions_preparer(obj, user, context):
    """A rectification request is decided by an official other than the one who prepared the decision."""
    document = obj.document
    preparer = None
    if document.decision_id:
        preparer = document.decision.proposed_by_id
    elif document.payment_id:
        preparer = document.payment.checked_by_id
    elif document.change_id:
        preparer = document.change.decided_by_id
    elif document.grant_return_id:
        preparer = document.grant_return.decided_by_id
    if preparer is not None and preparer == getattr(user, "pk", None):
        return _("You prepared the decision concerned; another official decides the request.")
    return None
