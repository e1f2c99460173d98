"""The case workflow as data: the one authority on who may do what to a case, and when.

For every case object with a status (the application, a partner's participation, an attachment, a request
for information, a review, the decision, a payment, a change, a report, a return, a call's results)
`MACHINES` lists each action: the statuses it starts from, the status it leads to, who may take it, and
the conditions (guards) it needs. Services change a status only through `perform`, which checks all
three and writes the journal row in the caller's transaction; views and templates ask `allowed_actions`
what to offer, so a button is shown exactly when the action would be allowed.

The machines live beside their guards: `case.py` (the application until it is decided), `follow_up.py`
(the awarded project), `calls.py`, and `guards.py`. Who may approve a grant? `DECISION` → `approve` in
`case.py`: a decision-maker, never the official who presented
(proposed) it, only while the application is still being processed, only after the call's application
period has ended, and never once the call's results are published.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import WorkflowError
from ..journal import record_event
from ..models import CaseEvent
from ..statemachine import NEW, SYSTEM, Machine, Performer, Transition, case_for, holds
from .calls import CALL
from .case import APPLICATION, ATTACHMENT, DECISION, INFORMATION_REQUEST, PARTICIPATION, REVIEW
from .follow_up import CHANGE, HEARING, NOTIFICATION, PAYMENT, RECTIFICATION, REPORT, RETURN

MACHINES: dict[type, Machine] = {
    machine.model: machine
    for machine in (
        APPLICATION,
        PARTICIPATION,
        ATTACHMENT,
        INFORMATION_REQUEST,
        REVIEW,
        DECISION,
        PAYMENT,
        CHANGE,
        REPORT,
        HEARING,
        RETURN,
        NOTIFICATION,
        RECTIFICATION,
        CALL,
    )
}


def machine_of(obj) -> Machine:
    return MACHINES[type(obj)]


# --- Asking and acting -----------------------------------------------------------------------------------


def _refusal(machine: Machine, transition: Transition, obj, user, context: dict) -> str | None:
    if not any(holds(user, performer, obj) for performer in transition.performers):
        return _("Only %(who)s can do this.") % {
            "who": _(" or ").join(str(Performer(p).label) for p in sorted(transition.performers))
        }
    state = machine.state_of(obj)
    if state not in transition.sources:
        return transition.refused_in(state)
    for guard in transition.guards:
        message = guard(obj, user, context)
        if message:
            return message
    return None


def refusal(obj, action: str, user, *, now: dt.datetime | None = None, **context) -> str | None:
    """Why `user` may not take `action` on `obj` now, or None when they may."""
    machine = machine_of(obj)
    context["now"] = now or timezone.now()
    return _refusal(machine, machine.find(action), obj, user, context)


def require(obj, action: str, *, by, now: dt.datetime | None = None, **context) -> None:
    """Refuse with WorkflowError unless `by` may take `action` on `obj` now; for the checks a service makes
    before it computes what `perform` then records."""
    reason = refusal(obj, action, by, now=now, **context)
    if reason:
        raise WorkflowError(reason)


def performs(obj, action: str, user) -> bool:
    """Whether `user` is among those who may take `action` on `obj` at all, whatever its status now: a view
    answers 403 to anyone else, and says the workflow's reason to them (`refusal`)."""
    transition = machine_of(obj).find(action)
    return any(holds(user, performer, obj) for performer in transition.performers)


def allows(obj, action: str, user, **context) -> bool:
    return refusal(obj, action, user, **context) is None


def allowed_actions(obj, user, *, now: dt.datetime | None = None, **context) -> frozenset[str]:
    """Every action `user` may take on `obj` now: what a page offers."""
    machine = machine_of(obj)
    context["now"] = now or timezone.now()
    return frozenset(
        transition.action
        for transition in machine.transitions
        if _refusal(machine, transition, obj, user, context) is None
    )


def perform(
    obj,
    action: str,
    *,
    by,
    changes: dict | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    organisation=None,
    **context,
) -> CaseEvent | None:
    """Take `action` on `obj` for `by`: refuse with WorkflowError (nothing changed) unless the object is in
    one of the action's statuses, `by` may take it and every guard holds; then apply `changes`, move the
    status, save and write the journal row. Call it inside the service's transaction, on rows it locked."""
    machine = machine_of(obj)
    transition = machine.find(action)
    context["now"] = now or timezone.now()
    reason = _refusal(machine, transition, obj, by, context)
    if reason:
        raise WorkflowError(reason)
    before = machine.state_of(obj)
    fields = list(changes or {})
    for name, value in (changes or {}).items():
        setattr(obj, name, value)
    if machine.field and transition.target is not None:
        setattr(obj, machine.field, transition.target)
        fields.append(machine.field)
    if obj.pk is None:
        obj.save()
    elif fields:
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj.save(update_fields=fields)
    if transition.event is None:
        return None
    after = machine.state_of(obj)
    states = machine.journal_states and before != after
    return record_event(
        case_for(obj),
        by=None if by is SYSTEM else by,
        kind=transition.event,
        note=note,
        from_status=before if states and before != NEW else "",
        to_status=after if states else "",
        internal=transition.internal,
        organisation=organisation,
    )
