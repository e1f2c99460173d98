from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from . import api

# The API is public open data: no sign-in.
urlpatterns = [
    path("calls/", login_not_required(api.CallList.as_view()), name="api-calls"),
    path("awards/", login_not_required(api.AwardList.as_view()), name="api-awards"),
    path("municipalities/", login_not_required(api.MunicipalityList.as_view()), name="api-municipalities"),
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
]
