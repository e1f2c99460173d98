"""The waiting-work counts beside "My tasks" and "My cases" in the navigation of every signed-in page.

Each user's counts are computed in one query (one scalar subquery per kind of work, each scoped to what the
user works on) and kept in the cache under a version. Every save or deletion of a row that the counts read
(the workflow's objects: applications, eligibility checks, information requests, decisions, reviews,
payment requests, change requests, reports, hearings, returns, participants) gives the version a new value,
at the change and again at commit, so a count is never older than the last change that touched it. So on
most pages the counts cost no query at all; `SECONDS` bounds a count's age should the cache miss a change
made outside Django (a database console)."""

import uuid
from collections.abc import Callable, Mapping

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import IntegerField, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "waiting-work:version"
SECONDS = 300


class SubqueryCount(Subquery):
    """COUNT(*) of a queryset, as a scalar subquery (so that several counts fit in one query)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def count_in_one_query(user, querysets: Mapping[str, QuerySet]) -> dict[str, int]:
    """{name: count} of each queryset, read in a single query (carried by the user's own row)."""
    if not querysets:
        return {}
    annotations = {f"waiting_{name}": SubqueryCount(queryset) for name, queryset in querysets.items()}
    row = get_user_model().objects.filter(pk=user.pk).annotate(**annotations).values(*annotations).first()
    return {name: (row or {}).get(f"waiting_{name}") or 0 for name in querysets}


def cached_count(user, kind: str, compute: Callable[[], int]) -> int:
    """The user's `kind` count from the cache if no change to the work was made since it was computed;
    otherwise `compute()`, kept for the next page."""
    key = f"waiting-work:{kind}:{user.pk}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    count = compute()
    cache.set(key, (version, count), SECONDS)
    return count


def work_changed() -> None:
    """A row the counts read was saved or deleted: every count computed before is out of date, now (for
    this transaction's own pages) and again at commit (for pages read by others in between)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def _changed(sender, **kwargs):
    work_changed()


def connect() -> None:
    """Called from the app's ready(): the models whose rows the counts read."""
    from . import models

    for model in (
        models.Application,
        models.EligibilityCheck,
        models.InformationRequest,
        models.Decision,
        models.ReviewAssignment,
        models.PaymentRequest,
        models.ChangeRequest,
        models.Report,
        models.Hearing,
        models.GrantReturn,
        models.Participant,
    ):
        post_save.connect(_changed, sender=model, dispatch_uid=f"waiting-work-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"waiting-work-delete-{model._meta.label}")
