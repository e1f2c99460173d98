"""The identity services' protocol endpoints, at stable addresses without a language prefix: these are the
addresses registered with Suomi.fi (the metadata, the assertion consumer, the logout service) and with the
ministry's OpenID Connect provider (the redirect URI and the back-channel logout URI)."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import path
from djangosaml2 import views as saml

from . import sso_views, suomifi
from .middleware import two_factor_exempt
from .suomifi import SuomiFiAcsView


def public(view):
    """A SAML endpoint: open to anyone (the protocol checks the messages), and only where Suomi.fi is on."""

    @wraps(view)
    def endpoint(request, *args, **kwargs):
        if not suomifi.enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return login_not_required(two_factor_exempt(endpoint))


urlpatterns = [
    path("sso/ministry/login/", sso_views.ministry_login, name="sso-ministry-login"),
    path("sso/ministry/callback/", sso_views.ministry_callback, name="sso-ministry-callback"),
    path(
        "sso/ministry/backchannel-logout/",
        sso_views.ministry_backchannel_logout,
        name="sso-ministry-backchannel-logout",
    ),
    path("saml2/login/", sso_views.suomifi_login, name="saml2_login"),
    path("saml2/acs/", public(SuomiFiAcsView.as_view()), name="saml2_acs"),
    path("saml2/ls/", public(saml.LogoutView.as_view()), name="saml2_ls"),
    path("saml2/ls/post/", public(saml.LogoutView.as_view()), name="saml2_ls_post"),
    path("saml2/metadata/", public(saml.MetadataView.as_view()), name="saml2_metadata"),
]
