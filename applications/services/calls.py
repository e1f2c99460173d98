"""A call from draft to open: officials prepare it in their own pages (texts in Finnish and Swedish,
emphasis areas, criteria and weights, contacts), open it to applicants, and may end its application
period early. Every step goes through the workflow's `CALL` machine (applications.workflow)."""

import hashlib
import json

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grants.models import Call, CallContact, CallStatus, EmphasisArea, EvaluationCriterion

from .. import notifications, workflow
from ..exceptions import EditConflict
from ..models import Application, CaseEvent, EventKind, Status


def _free_slug(call: Call) -> str:
    base = slugify(f"{call.name_fi}-{call.year}")[:54].strip("-") or f"call-{call.year}"
    slug, number = base, 1
    while Call.objects.filter(slug=slug).exclude(pk=call.pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def call_version(call: Call | None) -> str:
    """A fingerprint of what the call's form shows (its fields and rows): the form carries it, and a save
    from a form opened before another official's save is refused."""
    if call is None:
        return "new"
    content = {field.name: str(field.value_from_object(call)) for field in Call._meta.concrete_fields} | {
        "areas": list(call.emphasis_areas.order_by("number").values_list("name_fi", "name_sv", "name_en")),
        "criteria": [
            [str(value) for value in row]
            for row in call.evaluation_criteria.order_by("order").values_list(
                "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "weight"
            )
        ],
        "contacts": list(
            call.contacts.order_by("order").values_list("name", "title_fi", "title_sv", "phone", "email")
        ),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]


@transaction.atomic
def save_call(
    *,
    call: Call | None,
    values: dict,
    emphasis_areas: list[dict],
    criteria: list[dict],
    contacts: list[dict],
    by,
    version: str | None = None,
) -> Call:
    """Create a draft call (`call` None) or save a draft's changes; the lists (of field dicts, in order)
    replace the call's emphasis areas, criteria and contacts. A draft has no applications, so nothing
    refers to them yet. With `version` (the `call_version` the form was opened with), a save is refused
    with EditConflict if the draft changed meanwhile."""
    if call is None:
        call = Call(status=CallStatus.DRAFT, **values)
        call.slug = _free_slug(call)
        workflow.perform(call, "create", by=by)
    else:
        call = Call.objects.select_for_update().get(pk=call.pk)
        if version is not None and version != call_version(call):
            raise EditConflict(
                _(
                    "Another official saved this draft call after you opened it. Your text was not saved: it "
                    "is below. Compare it with the saved draft's preview, then save again."
                )
            )
        workflow.perform(call, "edit", by=by, changes=values)
    call.emphasis_areas.all().delete()
    EmphasisArea.objects.bulk_create(
        EmphasisArea(call=call, number=number, **area) for number, area in enumerate(emphasis_areas, start=1)
    )
    call.evaluation_criteria.all().delete()
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(call=call, order=order, **criterion)
        for order, criterion in enumerate(criteria, start=1)
    )
    call.contacts.all().delete()
    CallContact.objects.bulk_create(
        CallContact(call=call, order=order, **contact) for order, contact in enumerate(contacts, start=1)
    )
    return call


@transaction.atomic
def open_call(*, call: Call, by, now=None) -> Call:
    """Publish a draft: it appears on the public pages, and municipalities can apply from the moment its
    application period opens (at once when no opening time was set, or one in the past)."""
    now = now or timezone.now()
    locked = Call.objects.select_for_update().get(pk=call.pk)
    changes = {"status": CallStatus.PUBLISHED, "published_at": now, "published_by": by}
    if locked.opens_at is None or locked.opens_at < now:
        changes["opens_at"] = now
    workflow.perform(locked, "open", by=by, now=now, changes=changes)
    return locked


@transaction.atomic
def close_call(*, call: Call, reason: str, by, now=None) -> Call:
    """End a running application period now, with the reason shown on the call's page; each draft and
    submitted application's journal records it, and the staff of the municipalities with a draft are
    told that it can no longer be submitted."""
    now = now or timezone.now()
    locked = Call.objects.select_for_update().get(pk=call.pk)
    workflow.perform(
        locked, "close", by=by, now=now, changes={"closes_at": now, "closed_early_reason": reason}
    )
    affected = list(Application.objects.filter(call=locked, status__in=[Status.DRAFT, Status.SUBMITTED]))
    CaseEvent.objects.bulk_create(
        CaseEvent(application=application, actor=by, kind=EventKind.PERIOD_ENDED_EARLY, note=reason)
        for application in affected
    )
    for application in affected:
        if application.status == Status.DRAFT:
            notifications.period_ended_early(application)
    return locked
