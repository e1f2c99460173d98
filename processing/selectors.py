"""Reads of the back office: the worklist with its scores, the ranking, the case page and the follow-up."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from accounts.permissions import is_decision_maker, is_official, is_reviewer
from applications import rules
from applications.models import (
    Application,
    CaseEvent,
    ChangeRequest,
    ChangeStatus,
    Decision,
    DecisionStatus,
    EligibilityCheck,
    GrantReturn,
    Hearing,
    InformationRequest,
    InternalComment,
    Outcome,
    Participant,
    ParticipantRole,
    PaymentRequest,
    PaymentStatus,
    Report,
    ReportKind,
    ReviewAssignment,
    ReviewStatus,
    Score,
    Status,
)
from applications.selectors import LONG_TEXTS
from grants.models import Call


def _count_of(queryset):
    return Coalesce(
        # order_by(): the models' default orderings would join tables that a count does not need.
        Subquery(queryset.order_by().values("application_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _completed_scores(column):
    completed = (
        Score.objects.filter(review__application=OuterRef("pk"), review__status=ReviewStatus.COMPLETED)
        .order_by()
        .values("review__application_id")
    )
    return Subquery(completed.annotate(total=Sum(column)).values("total")[:1], output_field=DecimalField())


def with_scores(queryset):
    """Adds partner_count, completed_reviews and weighted_sum/weight_sum of the completed reviews'
    scores. Subqueries, not joins: two joined counts would multiply each other."""
    weighted = ExpressionWrapper(F("score") * F("criterion__weight"), output_field=DecimalField())
    return queryset.annotate(
        partner_count=_count_of(
            Participant.objects.filter(application=OuterRef("pk"), role=ParticipantRole.PARTNER)
        ),
        completed_reviews=_count_of(
            ReviewAssignment.objects.filter(application=OuterRef("pk"), status=ReviewStatus.COMPLETED)
        ),
        weighted_sum=_completed_scores(weighted),
        weight_sum=_completed_scores("criterion__weight"),
    )


def mean_score(application):
    """The mean weighted score (1–5) of the completed reviews, or None."""
    if not application.weight_sum:
        return None
    return (Decimal(application.weighted_sum) / Decimal(application.weight_sum)).quantize(Decimal("0.01"))


def worklist_queryset(call):
    """The call's applications that have left the applicants' hands, with what the worklist shows."""
    return with_scores(
        Application.objects.filter(call=call)
        .exclude(status=Status.DRAFT)
        .select_related("lead", "emphasis_area")
        .defer(*LONG_TEXTS)
        .order_by("case_sequence", "pk")
    )


@dataclass(frozen=True)
class RankingRow:
    application: Application
    score: Decimal | None
    cumulative: Decimal
    remaining: Decimal


def ranking(call):
    """Eligible applications by mean weighted score, with the running sum of requested amounts and
    what remains of the appropriation."""
    eligible = Q(**{f"eligibility__{item}": True for item in EligibilityCheck.ITEMS})
    applications = list(worklist_queryset(call).filter(eligible).exclude(status=Status.WITHDRAWN))
    applications.sort(key=lambda a: (mean_score(a) is None, -(mean_score(a) or 0), a.case_sequence or 0))
    rows, cumulative = [], Decimal("0")
    for application in applications:
        cumulative += application.requested_amount or Decimal("0")
        rows.append(
            RankingRow(application, mean_score(application), cumulative, call.appropriation - cumulative)
        )
    return rows


def status_counts(call):
    """{status: number of applications} for the call's processing, drafts left out."""
    rows = Application.objects.filter(call=call).exclude(status=Status.DRAFT).values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def case_for_officials(pk):
    """One submitted application with everything the officials' case page shows, or None."""
    case = (
        Application.objects.exclude(status=Status.DRAFT)
        .select_related("call__programme", "lead", "emphasis_area")
        .prefetch_related(
            Prefetch(
                "participants", queryset=Participant.objects.select_related("organisation", "responded_by")
            ),
            "budget_lines",
            "attachments",  # each given its participant below, from the participants read already
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor", "organisation")),
            Prefetch("internal_comments", queryset=InternalComment.objects.select_related("author")),
            Prefetch(
                "reviews",
                queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                ),
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.select_related("answered_by"),
            ),
        )
        .select_related("eligibility__checked_by", "decision")
    )
    # get() and not first(): first() orders the one row, and Django's compiler then hashes each of the
    # ~140 selected columns to match them with the ordering (a tenth of the page's CPU).
    try:
        application = case.get(pk=pk)
    except Application.DoesNotExist:
        return None
    participants = {participant.pk: participant for participant in application.participants.all()}
    for attachment in application.attachments.all():
        if attachment.participant_id in participants:
            attachment.participant = participants[attachment.participant_id]
    return application


def follow_up_queryset():
    """Every awarded or closed project, with what was paid and returned, for the officials' overview."""
    paid = PaymentRequest.objects.filter(application=OuterRef("pk"), status="paid")
    repaid = GrantReturn.objects.filter(application=OuterRef("pk"), status="repaid")
    final = Report.objects.filter(application=OuterRef("pk"), kind=ReportKind.FINAL)
    return (
        Application.objects.followed_up()
        .select_related("call", "lead", "decision")
        .annotate(
            paid_total=Coalesce(
                Subquery(paid.values("application").annotate(t=Sum("approved_amount")).values("t")[:1]),
                Decimal("0"),
                output_field=DecimalField(),
            ),
            returned_total=Coalesce(
                Subquery(repaid.values("application").annotate(t=Sum("repaid_amount")).values("t")[:1]),
                Decimal("0"),
                output_field=DecimalField(),
            ),
            has_final_report=Exists(final),
            payments_recorded=Exists(PaymentRequest.objects.filter(application=OuterRef("pk"))),
        )
        .order_by("call__closes_at", "lead__name_fi", "pk")
    )


def call_money(rows):
    """Granted, paid and returned per call, from follow_up_queryset rows."""
    totals: dict = {}
    for row in rows:
        entry = totals.setdefault(
            row.call, {"granted": Decimal("0"), "paid": Decimal("0"), "returned": Decimal("0")}
        )
        entry["granted"] += row.decision.granted_amount or Decimal("0")
        entry["paid"] += row.paid_total
        entry["returned"] += row.returned_total
    return totals


# --- What needs me now: the ministry's task page and the counts in the navigation -----------------------


def _waiting_for_officials():
    """Each kind of work waiting for an official, as a queryset of the case objects, oldest first."""
    answered_hearing_undecided = ~Exists(GrantReturn.objects.filter(hearing=OuterRef("pk")))
    return {
        "new": Application.objects.filter(status=Status.SUBMITTED, eligibility__isnull=True)
        .select_related("call", "lead")
        .defer(*LONG_TEXTS)
        .order_by("submitted_at", "pk"),
        "answered": InformationRequest.objects.filter(
            answered_at__isnull=False,
            application__status=Status.SUBMITTED,
            application__decision__isnull=True,
        )
        .select_related("application__call", "application__lead")
        .order_by("answered_at", "pk"),
        "returned": Decision.objects.filter(status=DecisionStatus.RETURNED)
        .select_related("application__call", "application__lead")
        .order_by("pk"),
        "payments": PaymentRequest.objects.filter(status=PaymentStatus.SUBMITTED)
        .select_related("application__call", "application__lead")
        .order_by("submitted_at", "pk"),
        "changes": ChangeRequest.objects.filter(status=ChangeStatus.PENDING)
        .select_related("application__call", "application__lead")
        .order_by("submitted_at", "pk"),
        "reports": Report.objects.filter(financial_checked_at__isnull=True)
        .select_related("application__call", "application__lead")
        .order_by("submitted_at", "pk"),
        "hearings": Hearing.objects.filter(answered_at__isnull=False)
        .filter(answered_hearing_undecided)
        .select_related("application__call", "application__lead")
        .order_by("answered_at", "pk"),
    }


def _overdue(today):
    """Unanswered information requests past their deadline, and final reports past their due date."""
    requests = list(
        InformationRequest.objects.filter(answered_at__isnull=True, deadline__lt=today)
        .select_related("application__call", "application__lead")
        .order_by("deadline", "pk")
    )
    # A report falls due some months after the use period ends, so only a project whose period has ended
    # can be late: the database picks those (of thousands followed up, a handful), the rule decides each.
    final = Report.objects.filter(application=OuterRef("pk"), kind=ReportKind.FINAL)
    candidates = (
        Application.objects.followed_up()
        .filter(status=Status.AWARDED, is_historical=False, decision__use_period_end__lt=today)
        .exclude(Exists(final))
        .select_related("call", "lead", "decision")
        .order_by("call__closes_at", "lead__name_fi", "pk")
    )
    reports = []
    for project in candidates:
        due = rules.report_due(project.decision.use_period_end, project.call)
        if rules.is_report_overdue(project, due=due, has_final_report=False, today=today):
            project.report_due = due
            reports.append(project)
    return requests, reports


@dataclass
class ProposalsOfCall:
    call: Call
    proposals: list
    approved: Decimal
    proposed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.call.appropriation - self.approved

    @property
    def after_approval(self) -> Decimal:
        return self.call.appropriation - self.approved - self.proposed


def proposals_waiting(user):
    """Proposals waiting for a decision, by call, that this user may decide (not their own), with the call's
    approved total and the sum of what waits, against its appropriation."""
    decisions = list(
        Decision.objects.filter(status=DecisionStatus.PROPOSED)
        .exclude(proposed_by=user)
        .select_related("application__call", "application__lead", "proposed_by")
        .order_by("application__call__closes_at", "application__case_sequence", "pk")
    )
    calls = {d.application.call_id: d.application.call for d in decisions}
    approved = dict(
        Decision.objects.filter(
            application__call_id__in=list(calls), status=DecisionStatus.APPROVED, outcome=Outcome.POSITIVE
        )
        .values_list("application__call_id")
        .annotate(total=Sum("granted_amount"))
    )
    groups = []
    for call_id, call in calls.items():
        waiting = [d for d in decisions if d.application.call_id == call_id]
        proposed = sum((d.granted_amount or Decimal("0") for d in waiting), Decimal("0"))
        groups.append(ProposalsOfCall(call, waiting, approved.get(call_id) or Decimal("0"), proposed))
    return groups


def reviews_waiting(user):
    """The user's reviews not yet completed (a declared conflict ends a review), soonest due first."""
    return list(
        ReviewAssignment.objects.filter(reviewer=user, status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT])
        .select_related("application__call", "application__lead")
        .order_by(F("due_date").asc(nulls_last=True), "assigned_at", "pk")
    )


def desk(user, today):
    """What waits for this ministry user now, by role."""
    page: dict = {}
    if is_official(user):
        page["official"] = {name: list(queryset) for name, queryset in _waiting_for_officials().items()}
        page["overdue_requests"], page["overdue_reports"] = _overdue(today)
    if is_decision_maker(user):
        page["proposals"] = proposals_waiting(user)
    if is_reviewer(user):
        page["reviews"] = reviews_waiting(user)
    return page


def desk_count(user) -> int:
    """The number shown beside "My tasks" in the navigation: what waits for this user's action. One query
    (a count per kind of work the user's roles do), kept in the cache until the work changes
    (applications/waiting.py)."""
    from applications import waiting

    def compute():
        work = {}
        if is_official(user):
            work.update(_waiting_for_officials())
        if is_decision_maker(user):
            proposed = Decision.objects.filter(status=DecisionStatus.PROPOSED)
            work["to_decide"] = proposed.exclude(proposed_by=user)
        if is_reviewer(user):
            work["to_review"] = ReviewAssignment.objects.filter(
                reviewer=user, status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT]
            )
        return sum(waiting.count_in_one_query(user, work).values())

    return waiting.cached_count(user, "ministry", compute)


def next_action(application, eligibility, decision, reviews) -> tuple[str, str]:
    """(stage, sentence): what the case waits for now, for the summary at the top of the case page; the
    stage's form is the one the page opens."""
    from django.utils import formats
    from django.utils.translation import gettext as _

    status = application.status
    if status == Status.WITHDRAWN:
        return "done", _("The application has been withdrawn.")
    if status == Status.AWARDED:
        return "done", _("The grant was awarded: the project is followed up on its own page.")
    if status == Status.REJECTED:
        return "done", _("The application was rejected.")
    if status == Status.CLOSED:
        return "done", _("The case is closed.")
    if status != Status.SUBMITTED:
        return "done", _("The application has not been submitted.")
    open_request = next((r for r in application.information_requests.all() if not r.is_answered), None)
    if open_request is not None:
        return "information", _("Waiting for additional information from the applicant, due %(date)s.") % {
            "date": formats.date_format(open_request.deadline, "j.n.Y")
        }
    if eligibility is None:
        return "eligibility", _("Check the eligibility.")
    if decision is not None and decision.status == "proposed":
        return "decision", _("The proposal waits for the decision-maker.")
    if decision is not None and decision.status == "returned":
        return "propose", _("The decision-maker returned the proposal: present it again.")
    active = [review for review in reviews if review.status != ReviewStatus.CONFLICT]
    if eligibility.is_eligible and not active:
        return "assign", _("Assign reviewers.")
    done = sum(1 for review in active if review.is_completed)
    if eligibility.is_eligible and done < len(active):
        text = _("Waiting for reviews: %(done)s of %(total)s completed.")
        return "reviews", text % {"done": done, "total": len(active)}
    return "propose", _("Present a decision proposal.")
