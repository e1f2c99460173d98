"""Keeps the cached public results pages honest: any change to what they show bumps the call's
results_version, under which the page is cached (templates/opendata/call_results.html).

Results change only on publication (a new results_published_on, which is part of the key too) and on
later corrections through the admin: a decision, an application, a participant, the call itself or a
municipality's name. Each bump is one UPDATE that touches published calls only, and forgets the calls'
cached results versions (opendata.selectors.published_results_version) and the open data's cached
Last-Modified (opendata.caching.last_change).

With several application nodes the cache is shared (CACHE_URL=redis://…), so one node's forgetting reaches
them all. It forgets twice: at once, and again when the change commits, because a node that reads the
results between the two would otherwise cache the version from before the change."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Organisation
from applications.models import Application, Decision, Participant
from grants.models import Call

from .selectors import LAST_CHANGE_KEY, results_version_key


def forget(slugs):
    keys = [results_version_key(slug) for slug in slugs]
    if keys:
        keys.append(LAST_CHANGE_KEY)
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def bump(**call_filter):
    calls = Call.objects.filter(results_published_on__isnull=False, **call_filter)
    calls.update(results_version=F("results_version") + 1, results_changed_at=timezone.now())
    forget(calls.values_list("slug", flat=True))


@receiver(post_save, sender=Decision)
@receiver(post_delete, sender=Decision)
@receiver(post_save, sender=Participant)
@receiver(post_delete, sender=Participant)
def case_part_changed(sender, instance, **kwargs):
    bump(applications__pk=instance.application_id)


@receiver(post_save, sender=Application)
@receiver(post_delete, sender=Application)
def application_changed(sender, instance, **kwargs):
    bump(pk=instance.call_id)


@receiver(post_save, sender=Organisation)
def organisation_renamed(sender, instance, **kwargs):
    bump()


@receiver(post_save, sender=Call)
@receiver(post_delete, sender=Call)
def call_saved(sender, instance, **kwargs):
    # Published, unpublished, corrected or deleted: the cached version of its results goes.
    forget([instance.slug])


@receiver(pre_save, sender=Call)
def call_changed(sender, instance, update_fields=None, **kwargs):
    if instance.results_published_on is not None and update_fields is None:
        instance.results_version = (instance.results_version or 0) + 1
        instance.results_changed_at = timezone.now()
