"""HTTP caching of the open data (the API and the 360Giving files): an ETag from the content, a
Last-Modified from the last change of any published result, 304 answers to If-None-Match and
If-Modified-Since, and `Cache-Control: public, max-age=300`, so that harvesters and caches fetch only
what changed."""

import hashlib
from datetime import datetime, time, timedelta
from functools import wraps

from django.core.cache import cache
from django.db.models import Max
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

from grants.models import Call

from .selectors import LAST_CHANGE_KEY, RESULTS_VERSION_SECONDS

MAX_AGE = 300


def last_change():
    """The last moment any published result changed (publication or a later correction), or None; kept
    in the cache as the results versions are (opendata/signals.py forgets it with them), so that an API
    page costs no query for it."""
    moment = cache.get(LAST_CHANGE_KEY)
    if moment is None:
        moment = _last_change() or 0  # 0: nothing published yet, which is worth keeping too
        cache.set(LAST_CHANGE_KEY, moment, RESULTS_VERSION_SECONDS)
    return moment or None


def _last_change():
    latest = Call.objects.public().aggregate(
        changed=Max("results_changed_at"), published=Max("results_published_on")
    )
    moments = []
    if latest["changed"]:
        moments.append(latest["changed"].timestamp())
    if latest["published"]:
        # A publication day without a time: its end counts, so that nothing published that day is missed.
        end = datetime.combine(latest["published"] + timedelta(days=1), time.min)
        moments.append(timezone.make_aware(end).timestamp())
    return max(moments) if moments else None


def data_version(request) -> str:
    """An ETag for a streamed response, whose content is not at hand: it changes whenever any published
    result changes (every change bumps its call's results_version) and differs per address and language."""
    published = list(
        Call.objects.filter(results_published_on__isnull=False)
        .order_by("pk")
        .values_list("pk", "results_version", "results_published_on")
    )
    key = f"{request.get_full_path()}|{request.LANGUAGE_CODE}|{published}"
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def conditional_open_data(view):
    conditional = ConditionalGetMiddleware(lambda request: None)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if response.streaming and not response.has_header("ETag"):
            response["ETag"] = data_version(request)
        changed = last_change()
        if changed is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(changed)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return conditional.process_response(request, response)

    return wrapped
