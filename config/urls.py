"""URL configuration: every page under a language prefix (/fi/, /sv/, /en/).

Sign-in is required everywhere (LoginRequiredMiddleware) except on views marked `login_not_required`:
the public call and results pages, sign-in itself and password reset."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.views import healthz, landing, readyz
from opendata.views import open_data_360giving

handler500 = "config.views.server_error"

admin.site.site_header = _("Municipal digitalisation grants: administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Administration")

# Open data keeps language-neutral addresses.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("open-data/360giving.json", open_data_360giving, name="open-data-360giving"),
    path("open-data/calls/<slug:slug>/360giving.json", open_data_360giving, name="open-data-call-360giving"),
    path("api/v1/", include("opendata.api_urls")),
    # Suomi.fi (SAML) and the ministry's OpenID Connect provider: addresses registered with them.
    path("", include("accounts.sso_urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("start/", landing, name="landing"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("processing/", include("processing.urls")),
    path("", include("opendata.urls")),
    path("", include("grants.urls")),
)
