"""The machinery of the case workflow: who performs an action, what a transition is, and a machine of
transitions over one model's status. The table itself is in the `workflow` package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import is_decision_maker, is_official, municipality_ids

from .models import Application, Participant, ReviewAssignment

# A guard takes (object, user, context) and says why the action is refused now, or None.
Guard = Callable[[Any, Any, dict], "str | None"]

# The state of an object not saved yet: where every action that creates one starts.
NEW = "new"
# Said wherever a change to a submitted application is refused: by the workflow's draft steps and guards.
DRAFT_ONLY = gettext_lazy("The application has been submitted and can no longer be changed.")


class Performer(models.TextChoices):
    """Who takes an action, relative to the case: roles are held per case, not only per user."""

    LEAD_STAFF = "lead_staff", gettext_lazy("the lead municipality's staff")
    PARTNER_STAFF = "partner_staff", gettext_lazy("the staff of the municipality concerned")
    OFFICIAL = "official", gettext_lazy("a ministry official")
    DECISION_MAKER = "decision_maker", gettext_lazy("a decision-maker")
    ASSIGNED_REVIEWER = "assigned_reviewer", gettext_lazy("the assigned reviewer")
    CASE_STAFF = "case_staff", gettext_lazy("the staff of a municipality taking part")
    SYSTEM = "system", gettext_lazy("the system itself")


class SystemActor:
    """The system as the performer of what it records on its own (a delivered e-mail that notifies a
    decision). It is not a user and signs nothing in: only `SYSTEM` holds `Performer.SYSTEM`, and its
    journal rows have no actor ("by the system")."""

    pk = None
    is_authenticated = False

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()


# States of objects without a status column, derived from their timestamps and fields (no migration).
class ReportState(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    CHECKED = "checked", gettext_lazy("Checked")


class AnswerState(models.TextChoices):
    """A request for information or a hearing (models.Answerable): waiting, or answered."""

    OPEN = "open", gettext_lazy("Waiting for an answer")
    ANSWERED = "answered", gettext_lazy("Answered")


class NotificationState(models.TextChoices):
    NOT_NOTIFIED = "not_notified", gettext_lazy("Notification not recorded")
    NOTIFIED = "notified", gettext_lazy("Notified")


class CallState(models.TextChoices):
    """A call: a draft only the ministry sees, published (its application period may be ahead, running
    or over), and with its results published."""

    DRAFT = "draft", gettext_lazy("Draft")
    PUBLISHED = "published", gettext_lazy("Published")
    RESULTS_PUBLISHED = "results_published", gettext_lazy("Results published")


def case_of(obj: models.Model) -> Application | None:
    """The application an object belongs to (None for a call)."""
    if isinstance(obj, Application):
        return obj
    return getattr(obj, "application", None)


def case_for(obj: models.Model) -> Application:
    """The application of an object that belongs to one."""
    case = case_of(obj)
    if case is None:
        raise ValueError(f"{obj!r} belongs to no application")
    return case


def holds(user, performer: str, obj: models.Model) -> bool:
    """Whether `user` acts as `performer` for `obj`."""
    if performer == Performer.SYSTEM:
        return user is SYSTEM
    if not getattr(user, "is_authenticated", False):
        return False
    if performer == Performer.OFFICIAL:
        return is_official(user)
    if performer == Performer.DECISION_MAKER:
        return is_decision_maker(user)
    if performer == Performer.ASSIGNED_REVIEWER:
        return isinstance(obj, ReviewAssignment) and obj.reviewer_id == user.pk
    if performer == Performer.LEAD_STAFF:
        case = case_of(obj)
        return case is not None and case.lead_id in municipality_ids(user)
    if performer == Performer.CASE_STAFF:
        case = case_of(obj)
        ids = municipality_ids(user)
        return case is not None and (
            case.lead_id in ids or case.participants.filter(organisation_id__in=ids).exists()
        )
    if performer == Performer.PARTNER_STAFF:
        participant = obj if isinstance(obj, Participant) else getattr(obj, "participant", None)
        return (
            participant is not None
            and not participant.is_lead
            and participant.organisation_id in municipality_ids(user)
        )
    raise ValueError(performer)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the status stays (an action on the case that changes no status)
    performers: frozenset[str]
    guards: tuple[Guard, ...] = ()
    event: str | None = None  # the journal row's kind
    internal: bool = False  # the journal row is the ministry's only
    # Why it is refused in another status: one message, or {status: message} with "" for the rest.
    refused: tuple[tuple[str, Any], ...] = ()

    def refused_in(self, state: str) -> str:
        messages = dict(self.refused)
        message = messages.get(state, messages.get(""))
        return str(message) if message else _("This cannot be done now.")


def step(action, sources, target, performers, *guards, event=None, internal=False, refused=None):
    sources = (sources,) if isinstance(sources, str) else sources
    performers = (performers,) if isinstance(performers, str) else performers
    refused = refused if isinstance(refused, dict) else {"": refused}
    return Transition(
        action,
        frozenset(sources),
        target,
        frozenset(performers),
        guards,
        event,
        internal,
        tuple(refused.items()),
    )


@dataclass(frozen=True)
class Machine:
    model: type
    transitions: tuple[Transition, ...]
    field: str | None = "status"  # None: the state is derived from other fields (`state`)
    state: Callable[[Any], str] | None = None
    derived_from: tuple[str, ...] = ()  # with `state`: the fields it reads, which only the workflow writes
    journal_states: bool = False  # the journal row records from → to

    @property
    def state_fields(self) -> tuple[str, ...]:
        """The fields that hold the object's state: written by `perform` only, shown read-only elsewhere."""
        return (self.field,) if self.field else self.derived_from

    @property
    def creates(self) -> bool:
        """Whether the workflow brings these objects into being (a step from NEW), so none is made by hand."""
        return any(NEW in transition.sources for transition in self.transitions)

    def state_of(self, obj) -> str:
        if obj.pk is None:
            return NEW
        if self.state is not None:
            return self.state(obj)
        return getattr(obj, self.field or "status")

    def find(self, action: str) -> Transition:
        for transition in self.transitions:
            if transition.action == action:
                return transition
        raise KeyError(f"{self.model.__name__} has no action {action!r}")
