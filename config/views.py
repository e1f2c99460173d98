"""The landing page after sign-in, health checks for the load balancer and the answer when the database is
unavailable."""

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import is_ministry_staff

log = logging.getLogger(__name__)

# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


@require_safe
def landing(request):
    """Where a user lands after signing in: ministry staff on their tasks, municipality staff on their
    cases."""
    if is_ministry_staff(request.user):
        return redirect("processing:desk")
    return redirect("applications:my-cases")


@never_cache
@require_safe
@login_not_required
def healthz(request):
    """Liveness: the process answers. Touches no database: also the framework's floor in benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
@login_not_required
def readyz(request):
    """Readiness: the process answers and the database accepts a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("readiness check failed: database unavailable", exc_info=True)
        return _service_unavailable("database unavailable")
    return HttpResponse("ready", content_type="text/plain")


def _service_unavailable(text=None):
    # The page is static and bilingual: rendering it must not need the database that just failed.
    body = text if text is not None else render_to_string("503.html")
    response = HttpResponse(body, status=503, content_type="text/plain" if text else "text/html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: a lost database connection is a temporary outage (503 with Retry-After), not a bug.

    Django closes the broken connection at the end of the request, and the next request opens a new one,
    so the service recovers by itself when the database is back."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return _service_unavailable()
    return HttpResponseServerError(render_to_string("500.html"))
