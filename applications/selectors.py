"""Reads that pages share; each owns its joins so that a page's query count does not grow with its rows."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
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
    InternalComment,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    Status,
)
from .permissions import visible_to


@dataclass(frozen=True)
class CallResults:
    call: Call
    awards: list[Decision]
    total_awarded: Decimal
    applications_received: int

    @property
    def project_count(self):
        return len(self.awards)


def call_results(call: Call) -> CallResults:
    """The published awards of a call, ordered by the lead's name in the active language."""
    awards = list(
        Decision.objects.filter(application__call=call, outcome=Outcome.POSITIVE)
        .select_related("application__lead")
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
    """One application the user may see, with everything its pages show, or None (the view says 404)."""
    queryset = Application.objects.select_related(
        "call__programme", "lead", "emphasis_area", "created_by"
    ).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("organisation", "responded_by")),
        "budget_lines",
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("participant__organisation", "uploaded_by"),
        ),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
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


def cases_for_municipality_staff(user):
    """The user's municipalities' applications, as lead or participant, newest first."""
    own = municipality_ids(user)
    applications = (
        visible_to(user, Application.objects.select_related("call", "lead"))
        .filter(Q(lead_id__in=own) | Q(participants__organisation_id__in=own))
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("organisation"))
        )
        .order_by("-updated_at", "-pk")
    )
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


def worklist_queryset(call):
    """The call's applications that have left the applicants' hands, with what the worklist shows."""
    partners = Count("participants", filter=Q(participants__role=ParticipantRole.PARTNER))
    return (
        Application.objects.filter(call=call)
        .exclude(status=Status.DRAFT)
        .select_related("lead", "emphasis_area")
        .annotate(partner_count=partners)
        .order_by("case_sequence", "pk")
    )


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
        )
        .filter(pk=pk)
        .first()
    )
