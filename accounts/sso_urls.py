"""The identity services' protocol endpoints, at stable addresses without a language prefix: these are the
addresses registered with Suomi.fi (the metadata, the assertion consumer, the logout service) and with the
ministry's OpenID Connect provider (the redirect URI and the back-channel logout URI)."""

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

from . import sso_views, suomifi
from .middleware import two_factor_exempt


def public(view_class: str, *, exempt_from_csrf: bool = False):
    """A SAML endpoint: open to anyone (the protocol checks the messages), and only where Suomi.fi is on.
    The view class is imported at the endpoint's first request: djangosaml2's views load pysaml2's XML
    schemas, about 30 MB in each process, which no other page needs (accounts.suomifi). The identity
    provider posts its messages cross-site: those endpoints are exempt from the CSRF check as
    djangosaml2's own views are (tests/performance/test_process_memory.py checks that the two agree)."""
    view = cache(lambda: import_string(view_class).as_view())

    def endpoint(request, *args, **kwargs):
        if not suomifi.enabled():
            raise Http404
        return view()(request, *args, **kwargs)

    endpoint.view_class_path = view_class  # type: ignore[attr-defined]
    endpoint = login_not_required(two_factor_exempt(endpoint))
    return csrf_exempt(endpoint) if exempt_from_csrf else endpoint


urlpatterns = [
    path("sso/ministry/login/", sso_views.ministry_login, name="sso-ministry-login"),
    path("sso/ministry/callback/", sso_views.ministry_callback, name="sso-ministry-callback"),
    path(
        "sso/ministry/backchannel-logout/",
        sso_views.ministry_backchannel_logout,
        name="sso-ministry-backchannel-logout",
    ),
    path("saml2/login/", sso_views.suomifi_login, name="saml2_login"),
    path(
        "saml2/acs/", public("accounts.suomifi_acs.SuomiFiAcsView", exempt_from_csrf=True), name="saml2_acs"
    ),
    path("saml2/ls/", public("djangosaml2.views.LogoutView", exempt_from_csrf=True), name="saml2_ls"),
    path(
        "saml2/ls/post/", public("djangosaml2.views.LogoutView", exempt_from_csrf=True), name="saml2_ls_post"
    ),
    path("saml2/metadata/", public("djangosaml2.views.MetadataView"), name="saml2_metadata"),
]
