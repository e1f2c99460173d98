from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from . import api

router = api.OpenDataRouter()
router.register("calls", api.CallViewSet, basename="api-call")
router.register("awards", api.AwardViewSet, basename="api-award")
router.register("municipalities", api.MunicipalityViewSet, basename="api-municipality")


def public(patterns):
    """The API is public open data: no sign-in."""
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


@login_not_required
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/ (an award id that is not a number …): a JSON 404, as documented."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    *public(router.urls),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    # Redoc styles itself with inline styles and renders in a worker made from a blob.
    path(
        "docs/",
        login_not_required(
            csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
                SpectacularRedocView.as_view(url_name="api-schema")
            )
        ),
        name="api-docs",
    ),
    re_path(r"^(?P<rest>.+)$", not_found, name="api-not-found"),
]
