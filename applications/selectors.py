"""Reads that pages share; each owns its joins so that a page's query count does not grow with its rows."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from core.formatting import format_moment
from core.translation import nordic_sort_key

from .models import (
    Application,
    Attachment,
    CaseEvent,
    GrantReturn,
    Hearing,
    InformationRequest,
    Participant,
    ParticipationStatus,
    PaymentRequest,
    Report,
    ReportKind,
    Status,
)
from .permissions import visible_to


def application_for_action(user, pk):
    """One application the user may see, alone, or None (the view says 404): for an action's POST, whose
    service reads the case again under a lock; its page's related rows are read only to show it again."""
    try:
        return visible_to(user, Application.objects.select_related("call")).get(pk=pk)
    except Application.DoesNotExist:
        return None


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
        Prefetch(
            "events",
            queryset=CaseEvent.objects.filter(internal=False).select_related("actor", "organisation"),
        ),
        "information_requests",
    )
    try:
        return visible_to(user, queryset).get(pk=pk)  # not first() (see case_for_officials)
    except Application.DoesNotExist:
        return None


@dataclass(frozen=True)
class CaseRow:
    application: Application
    is_lead: bool
    own_participant: Participant | None
    next_step: str
    deadline: object = None  # the date (or moment) by which the user's municipality should act
    needs_action: bool = False
    link: str = ""  # the page where that action is taken


def _date(value):
    return formats.date_format(value, "j.n.Y")


def _next_step(application, is_lead, own_participant, today):
    """(what next, by when, whether it is this municipality's turn, the page where it is done)."""
    from django.urls import reverse

    from . import rules

    pk = application.pk
    if application.status == Status.DRAFT:
        closes = timezone.localtime(application.call.closes_at)
        if is_lead:
            text = _("Complete the application and submit it by %(deadline)s.") % {
                "deadline": format_moment(closes)
            }
            return text, closes.date(), True, reverse("applications:edit", kwargs={"pk": pk})
        if own_participant and own_participant.status == ParticipationStatus.PENDING:
            link = reverse("applications:detail", kwargs={"pk": pk}) + "#participation-title"
            return _("Confirm or decline your municipality's participation."), closes.date(), True, link
        return _("The lead applicant is preparing the application."), None, False, ""
    open_requests = getattr(application, "open_requests", [])
    if application.status == Status.SUBMITTED:
        if is_lead and open_requests:
            request = open_requests[0]
            link = reverse("applications:answer-request", kwargs={"pk": pk, "request_pk": request.pk})
            text = _("Answer the ministry's request for additional information by %(date)s.") % {
                "date": _date(request.deadline)
            }
            return text, request.deadline, True, link
        return _("The ministry is processing the application."), None, False, ""
    if application.status == Status.WITHDRAWN:
        return _("Nothing: the application was withdrawn."), None, False, ""
    if application.status == Status.AWARDED:
        project = reverse("applications:project", kwargs={"pk": pk})
        hearings = getattr(application, "open_hearings", [])
        if is_lead and hearings:
            text = _("Answer the ministry's hearing by %(date)s.") % {"date": _date(hearings[0].deadline)}
            return text, hearings[0].deadline, True, project + "#hearing-title"
        decision = getattr(application, "decision", None)
        if application.is_historical or decision is None:
            return _("The grant was awarded."), None, False, ""
        due = rules.report_due(decision.use_period_end, application.call)
        if not getattr(application, "has_final_report", False) and due:
            if decision.use_period_end and today <= decision.use_period_end:
                text = _(
                    "Carry out the project and request payments; the use period ends on %(end)s and the "
                    "final report is due on %(due)s."
                ) % {"end": _date(decision.use_period_end), "due": _date(due)}
                return text, decision.use_period_end, False, project
            text = _("Submit the final report by %(due)s.") % {"due": _date(due)}
            return text, due, is_lead, project
        return _("The ministry is checking the final report."), None, False, project
    if application.status == Status.REJECTED:
        return _("The application was rejected."), None, False, ""
    return _("Nothing: the case is closed."), None, False, ""


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
        Application.objects.select_related("call", "lead", "decision")
        .defer(*LONG_TEXTS)
        .filter(pk__in=led.union(taking_part))
        .annotate(
            has_final_report=Exists(Report.objects.filter(application=OuterRef("pk"), kind=ReportKind.FINAL))
        )
        .prefetch_related(
            # Only the user's own municipalities' rows: the page shows their part, not the partners.
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(organisation_id__in=own).order_by("pk"),
                to_attr="own_participants",
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.filter(answered_at__isnull=True).order_by("deadline"),
                to_attr="open_requests",
            ),
            Prefetch(
                "hearings",
                queryset=Hearing.objects.filter(answered_at__isnull=True).order_by("deadline"),
                to_attr="open_hearings",
            ),
        )
        .order_by("-updated_at", "-pk")
    )


def case_rows(applications, user):
    """What My cases shows of each application: its role for the user's municipality and the next step."""
    own = municipality_ids(user)
    today = timezone.localdate()
    rows = []
    for application in applications:
        is_lead = application.lead_id in own
        own_participant = next((p for p in application.own_participants if not p.is_lead), None)
        text, deadline, needs_action, link = _next_step(application, is_lead, own_participant, today)
        rows.append(
            CaseRow(
                application=application,
                is_lead=is_lead,
                own_participant=own_participant,
                next_step=text,
                deadline=deadline,
                needs_action=needs_action,
                link=link,
            )
        )
    return rows


def needs_action_count(user) -> int:
    """How many things wait for the user's municipalities now: participations to confirm in drafts,
    requests for information and hearings to answer (the count beside "My cases"). One query, kept in the
    cache until the work changes (applications/waiting.py)."""
    from . import waiting

    def compute():
        own = municipality_ids(user)
        counts = waiting.count_in_one_query(
            user,
            {
                "participations": Participant.objects.filter(
                    organisation_id__in=own,
                    status=ParticipationStatus.PENDING,
                    application__status=Status.DRAFT,
                ),
                "requests": InformationRequest.objects.filter(
                    application__lead_id__in=own,
                    application__status=Status.SUBMITTED,
                    answered_at__isnull=True,
                ),
                "hearings": Hearing.objects.filter(
                    application__lead_id__in=own, application__status=Status.AWARDED, answered_at__isnull=True
                ),
            },
        )
        return sum(counts.values())

    return waiting.cached_count(user, "municipality", compute)


def municipality_options():
    """Every municipality for the participant picker, in the page language's order."""
    return sorted(Organisation.objects.municipalities(), key=lambda org: nordic_sort_key(org.name))


def project_for_page(pk):
    """An awarded (or closed) project with everything its follow-up pages show, or None."""
    project = (
        Application.objects.followed_up()
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
            Prefetch(
                "returns",
                queryset=GrantReturn.objects.select_related("hearing").prefetch_related("repayments"),
            ),
            "hearings",
            Prefetch("participants", queryset=Participant.objects.select_related("organisation")),
        )
    )
    try:
        return project.get(pk=pk)  # not first(), which orders the one row (see case_for_officials)
    except Application.DoesNotExist:
        return None


def issued_documents(application, user=None):
    """The case's issued decisions, oldest first, each with its rectification deadline (None until the
    notification is recorded) and its rectification requests; with `user`, whether they may request
    rectification of it now (`can_request`)."""
    from . import rules, workflow
    from .models import IssuedDocument, RectificationRequest

    documents = list(
        IssuedDocument.objects.filter(application=application)
        .prefetch_related(
            Prefetch(
                "rectification_requests",
                queryset=RectificationRequest.objects.select_related("organisation", "decided_by"),
            )
        )
        .order_by("issued_at", "pk")
    )
    # What each document decided on is read only to decide a rectification request (who prepared it):
    # fetched for those documents alone, so the usual page does not join four tables it never reads.
    prefetch_related_objects(
        [document for document in documents if document.rectification_requests.all()],
        "decision",
        "payment",
        "change",
        "grant_return",
    )
    for document in documents:
        document.application = application
        document.deadline = rules.rectification_deadline(document.notified_on)  # type: ignore[attr-defined]
        if user is not None:
            document.can_request = workflow.allows(  # type: ignore[attr-defined]
                RectificationRequest(application=application, document=document), "submit", user
            )
    return documents
