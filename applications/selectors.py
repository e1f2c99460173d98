"""Reads that pages share; each owns its joins so that a page's query count does not grow with its rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
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
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from grants.models import Call
from grants.translation import nordic_sort_key

from .models import (
    Application,
    Attachment,
    CaseEvent,
    Decision,
    EligibilityCheck,
    GrantReturn,
    InformationRequest,
    InternalComment,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    PaymentRequest,
    Report,
    ReviewAssignment,
    ReviewStatus,
    Score,
    Status,
)
from .permissions import visible_to


@dataclass(frozen=True)
class Share:
    label: str
    amount: Decimal
    projects: int
    percent: Decimal
    bar: Decimal  # width of the bar: the largest group fills it


@dataclass(frozen=True)
class CallResults:
    call: Call
    awards: list[Decision]
    total_awarded: Decimal
    applications_received: int

    @property
    def project_count(self):
        return len(self.awards)

    def _shares(self, key):
        groups = {}
        for decision in self.awards:
            label = key(decision)
            amount, projects = groups.get(label, (Decimal("0"), 0))
            groups[label] = (amount + decision.granted_amount, projects + 1)
        total = self.total_awarded or Decimal("1")
        largest = max((amount for amount, _projects in groups.values()), default=Decimal("1")) or Decimal("1")
        rows = [
            Share(
                label,
                amount,
                projects,
                (amount * 100 / total).quantize(Decimal("0.1")),
                (amount * 100 / largest).quantize(Decimal("0.1")),
            )
            for label, (amount, projects) in groups.items()
        ]
        return sorted(rows, key=lambda row: (-row.amount, nordic_sort_key(row.label)))

    def by_region(self):
        """Awarded amounts by the lead municipality's region, in the page's language."""
        return self._shares(lambda decision: decision.application.lead.region or "–")

    def by_emphasis_area(self):
        return self._shares(
            lambda decision: (
                decision.application.emphasis_area.name
                if decision.application.emphasis_area
                else str(_("Not published"))
            )
        )

    def municipalities(self):
        """Every municipality taking part, as lead or confirmed partner, with its number of projects."""
        counts = {}
        for decision in self.awards:
            application = decision.application
            members = [(application.lead, "lead")]
            if application.participants_published:
                members += [(p.organisation, "partner") for p in application.published_partners]
            for organisation, role in members:
                entry = counts.setdefault(
                    organisation.pk, {"organisation": organisation, "lead": 0, "partner": 0}
                )
                entry[role] += 1
        return sorted(counts.values(), key=lambda entry: nordic_sort_key(entry["organisation"].name))


def call_results(call: Call) -> CallResults:
    """The published awards of a call, ordered by the lead's name in the active language."""
    awards = list(
        Decision.objects.filter(application__call=call, outcome=Outcome.POSITIVE, status="approved")
        .select_related("application__lead", "application__emphasis_area")
        .prefetch_related(
            Prefetch(
                "application__participants",
                queryset=Participant.objects.filter(
                    role=ParticipantRole.PARTNER, status=ParticipationStatus.CONFIRMED
                ).select_related("organisation"),
                to_attr="published_partners",
            )
        )
        .order_by("application__lead__name_fi", "-granted_amount", "pk")
    )
    # Stable sort on the displayed name keeps Lahti's two projects in amount order.
    awards.sort(key=lambda decision: nordic_sort_key(decision.application.lead.name))
    total = sum((decision.granted_amount for decision in awards), Decimal("0"))
    received = call.applications_received
    if received is None:
        received = Application.objects.filter(call=call).submitted().count()
    return CallResults(call=call, awards=awards, total_awarded=total, applications_received=received)


def application_for_page(user, pk):
    """One application the user may see, with everything its pages show, or None (the view says 404).
    Ministry-internal journal events are left out: these pages are the applicants'."""
    queryset = Application.objects.select_related(
        "call__programme", "lead", "emphasis_area", "created_by", "decision"
    ).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("organisation", "responded_by")),
        "budget_lines",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("participant__organisation", "uploaded_by"),
        ),
        Prefetch("events", queryset=CaseEvent.objects.filter(internal=False).select_related("actor")),
        "information_requests",
    )
    return visible_to(user, queryset).filter(pk=pk).first()


@dataclass(frozen=True)
class CaseRow:
    application: Application
    is_lead: bool
    own_participant: Participant | None
    next_step: str


def _next_step(application, is_lead, own_participant):
    if application.status == Status.DRAFT:
        if is_lead:
            return _("Complete the application and submit it by %(deadline)s.") % {
                "deadline": formats.date_format(timezone.localtime(application.call.closes_at), "j.n.Y H:i")
            }
        if own_participant and own_participant.status == ParticipationStatus.PENDING:
            return _("Confirm or decline your municipality's participation.")
        return _("The lead applicant is preparing the application.")
    if application.status == Status.SUBMITTED:
        return _("The ministry is processing the application.")
    if application.status == Status.WITHDRAWN:
        return _("Nothing: the application was withdrawn.")
    if application.status == Status.AWARDED:
        return _("The grant was awarded.")
    if application.status == Status.REJECTED:
        return _("The application was rejected.")
    return _("Nothing: the case is closed.")


# The long texts of an application, which no list shows: left in the database, a page reads less.
LONG_TEXTS = (
    "summary",
    "objectives",
    "actions",
    "schedule",
    "expected_results",
    "dissemination",
    "draft_input",
)


def cases_for_municipality_staff(user):
    """The user's municipalities' applications, as lead or participant, newest first.

    Subqueries rather than a join, so that no DISTINCT is needed however many cases a municipality has
    (the rows are the user's own cases, so they are all visible to them)."""
    own = municipality_ids(user)
    # A union of two indexed lookups: "lead = X OR id IN (…)" made PostgreSQL read every application.
    # (Imported historical cases have no participant rows, so the lead is looked up on its own too.)
    led = Application.objects.filter(lead_id__in=own).order_by().values("pk")
    taking_part = Participant.objects.filter(organisation_id__in=own).order_by().values("application_id")
    return (
        Application.objects.select_related("call", "lead")
        .defer(*LONG_TEXTS)
        .filter(pk__in=led.union(taking_part))
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
        .order_by("-updated_at", "-pk")
    )


def case_rows(applications, user):
    """What My cases shows of each application: its role for the user's municipality and the next step."""
    own = municipality_ids(user)
    rows = []
    for application in applications:
        is_lead = application.lead_id in own
        own_participant = next(
            (p for p in application.participants.all() if p.organisation_id in own and not p.is_lead), None
        )
        rows.append(
            CaseRow(
                application=application,
                is_lead=is_lead,
                own_participant=own_participant,
                next_step=_next_step(application, is_lead, own_participant),
            )
        )
    return rows


def municipality_options():
    """Every municipality for the participant picker, in the page language's order."""
    return sorted(Organisation.objects.municipalities(), key=lambda org: nordic_sort_key(org.name))


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


def page_of(queryset, per_page, number):
    """A page of an annotated queryset, paged by id first.

    PostgreSQL evaluates a row's SELECT list even for the rows an OFFSET skips, so paging the worklist
    (four correlated subqueries a row) got slower with every page: page 40 took ~1 s. The ids are paged
    instead (plain columns, index order), and only the page's own rows are then read with everything."""
    page = Paginator(queryset.prefetch_related(None).values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids]
    return page


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


def project_for_page(pk):
    """An awarded (or closed) project with everything its follow-up pages show."""
    return (
        Application.objects.filter(status__in=[Status.AWARDED, Status.CLOSED], decision__status="approved")
        .select_related("call", "lead", "decision")
        .prefetch_related(
            Prefetch(
                "payment_requests",
                queryset=PaymentRequest.objects.select_related(
                    "ledger_extract", "submitted_by"
                ).prefetch_related("cost_lines"),
            ),
            "change_requests",
            "reports",
            "returns",
            Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        )
        .filter(pk=pk)
        .first()
    )


def follow_up_queryset():
    """Every awarded or closed project, with what was paid and returned, for the officials' overview."""
    paid = PaymentRequest.objects.filter(application=OuterRef("pk"), status="paid")
    repaid = GrantReturn.objects.filter(application=OuterRef("pk"), status="repaid")
    final = Report.objects.filter(application=OuterRef("pk"), kind="final")
    return (
        Application.objects.filter(status__in=[Status.AWARDED, Status.CLOSED], decision__status="approved")
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


def report_due(application):
    from .followup import add_months

    end = application.decision.use_period_end
    return add_months(end, application.call.final_report_months) if end else None


def call_money(rows):
    """Granted, paid and returned per call, from follow_up_queryset rows."""
    totals = {}
    for row in rows:
        entry = totals.setdefault(
            row.call, {"granted": Decimal("0"), "paid": Decimal("0"), "returned": Decimal("0")}
        )
        entry["granted"] += row.decision.granted_amount or Decimal("0")
        entry["paid"] += row.paid_total
        entry["returned"] += row.returned_total
    return totals
