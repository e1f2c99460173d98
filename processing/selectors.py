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

from applications.models import (
    Application,
    Attachment,
    CaseEvent,
    EligibilityCheck,
    GrantReturn,
    InformationRequest,
    InternalComment,
    Participant,
    ParticipantRole,
    PaymentRequest,
    Report,
    ReportKind,
    ReviewAssignment,
    ReviewStatus,
    Score,
    Status,
)
from applications.selectors import LONG_TEXTS


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
    """One submitted application with everything the officials' case page shows."""
    return (
        Application.objects.exclude(status=Status.DRAFT)
        .select_related("call__programme", "lead", "emphasis_area")
        .prefetch_related(
            Prefetch(
                "participants", queryset=Participant.objects.select_related("organisation", "responded_by")
            ),
            "budget_lines",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("participant__organisation", "uploaded_by"),
            ),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("internal_comments", queryset=InternalComment.objects.select_related("author")),
            Prefetch(
                "reviews",
                queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                ),
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.select_related("requested_by", "answered_by"),
            ),
        )
        .select_related("eligibility", "decision")
        .filter(pk=pk)
        .first()
    )


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
