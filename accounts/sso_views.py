"""Sign-in through the state's identity services, single logout, and the invitations to municipalities.

The protocol endpoints (the OpenID Connect callback, the back-channel logout, djangosaml2's SAML endpoints)
have stable addresses without a language prefix, for registering the service with the providers
(accounts/sso_urls.py); the pages people read are under the language prefix (accounts/urls.py)."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import invitations, ministry_sso, suomifi
from .forms import InvitationForm
from .middleware import two_factor_exempt
from .models import IdentityKind
from .security import client_address

log = logging.getLogger("security")

NEXT = "sso_next"


def refused(request, service, reason, status):
    return render(
        request, "accounts/sign_in_refused.html", {"service": service, "reason": reason}, status=status
    )


def _safe_next(request, url):
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    ):
        return url
    return ""


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def logout_origins(method):
    """The origins the sign-out of a session signed in by `method` is redirected to."""
    urls = []
    if method == IdentityKind.MINISTRY_SSO and ministry_sso.enabled():
        try:
            urls.append(ministry_sso.client().load_server_metadata().get("end_session_endpoint"))
        except ministry_sso.PROTOCOL_ERRORS:
            return []
    elif method == IdentityKind.SUOMI_FI and suomifi.enabled():
        urls.extend(suomifi.logout_locations())
    return sorted({origin for origin in map(_origin, urls) if origin})


@login_not_required
@two_factor_exempt
@require_GET
def ministry_login(request):
    """Sends the official to the ministry's provider (authorisation code with PKCE)."""
    if not ministry_sso.enabled():
        raise Http404
    request.session[NEXT] = _safe_next(request, request.GET.get("next", ""))
    callback = settings.SITE_URL.rstrip("/") + reverse("sso-ministry-callback")
    try:
        return ministry_sso.client().authorize_redirect(request, callback, ui_locales=get_language())
    except ministry_sso.PROTOCOL_ERRORS as error:
        log.warning("ministry sso unavailable error=%s", type(error).__name__)
        return refused(request, IdentityKind.MINISTRY_SSO, "unavailable", 503)


@login_not_required
@two_factor_exempt
@never_cache
@require_GET
def ministry_callback(request):
    """The provider's answer: Authlib checks the state, exchanges the code (with the PKCE verifier) and
    validates the ID token; then the roles are set from the claims and the official is signed in."""
    if not ministry_sso.enabled():
        raise Http404
    try:
        token = ministry_sso.client().authorize_access_token(request)
        if "userinfo" not in token:
            raise ValueError("no ID token")
    except ministry_sso.PROTOCOL_ERRORS as error:
        log.warning(
            "ministry sso sign-in refused reason=invalid_response error=%s address=%s",
            type(error).__name__,
            client_address(request),
        )
        return refused(request, IdentityKind.MINISTRY_SSO, "invalid_response", 400)
    try:
        user = ministry_sso.sign_in(request, token)
    except ministry_sso.Refused as refusal:
        log.warning(
            "ministry sso sign-in refused reason=%s address=%s", refusal.reason, client_address(request)
        )
        return refused(request, IdentityKind.MINISTRY_SSO, refusal.reason, 403)
    next_url = _safe_next(request, request.session.pop(NEXT, ""))
    return redirect(next_url or translate_url(reverse(settings.LOGIN_REDIRECT_URL), user.preferred_language))


@login_not_required
@two_factor_exempt
@csrf_exempt
@require_POST
def ministry_backchannel_logout(request):
    """OpenID Connect Back-Channel Logout: the provider says the person signed out there."""
    if not ministry_sso.enabled():
        raise Http404
    try:
        ministry_sso.backchannel_logout(request.POST.get("logout_token", ""))
    except ministry_sso.PROTOCOL_ERRORS as error:
        log.warning("ministry sso back-channel logout refused error=%s", type(error).__name__)
        return HttpResponseBadRequest("invalid logout token", content_type="text/plain")
    response = HttpResponse(status=200)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@two_factor_exempt
@require_GET
def suomifi_login(request):
    """The start of a Suomi.fi identification; djangosaml2 builds and signs the request."""
    if not suomifi.enabled():
        raise Http404
    from djangosaml2.views import LoginView

    return LoginView.as_view()(request)


@two_factor_exempt
@require_POST
def logout(request):
    """Signs out here and, after a single sign-on, at the provider too (single logout)."""
    method = request.session.get(ministry_sso.SIGN_IN_METHOD)
    home = settings.SITE_URL.rstrip("/") + reverse(settings.LOGOUT_REDIRECT_URL)
    if method == IdentityKind.SUOMI_FI and suomifi.enabled():
        from djangosaml2.views import LogoutInitView  # pysaml2's schemas: only where Suomi.fi is used

        view = LogoutInitView()
        view.setup(request)
        return view.get(request)
    id_token = request.session.get(ministry_sso.ID_TOKEN, "")
    auth.logout(request)
    if method == IdentityKind.MINISTRY_SSO and ministry_sso.enabled():
        url = ministry_sso.end_session_url(id_token, home)
        if url:
            return redirect(url)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def invitation_list(request):
    """A municipality's main user (or an official) invites people and sees the invitations sent."""
    if not invitations.may_invite(request.user):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invite(
                by=request.user,
                organisation=form.cleaned_data["municipality"],
                email=form.cleaned_data["email"],
                main_user=form.cleaned_data.get("main_user", False),
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:invitations")
    sent = invitations.visible_to(request.user)[:200]
    return render(request, "accounts/invitations.html", {"form": form, "invitations": sent})


@require_POST
def invitation_withdraw(request, pk):
    invitation = get_object_or_404(invitations.visible_to(request.user), pk=pk)
    invitations.withdraw(invitation, request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:invitations")


@login_not_required
@two_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The invitation's link: identify with Suomi.fi, then accept."""
    found = invitations.find(token)
    if found is None:
        raise Http404
    user = request.user
    identified = (
        user.is_authenticated and request.session.get(suomifi.SIGN_IN_METHOD) == IdentityKind.SUOMI_FI
    )
    if request.method == "POST":
        if not identified:
            raise PermissionDenied
        try:
            invitations.accept(found, user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(request.path)
        messages.success(
            request,
            _("You now work for %(municipality)s in the system.") % {"municipality": found.organisation},
        )
        return redirect(translate_url(reverse(settings.LOGIN_REDIRECT_URL), get_language()))
    login_url = ""
    if found.is_open and not user.is_authenticated and suomifi.enabled():
        request.saml_session[suomifi.PENDING_INVITATION] = found.token_hash
        login_url = f"{reverse('saml2_login')}?{urlencode({'next': request.path})}"
    context = {
        "invitation": found,
        "identified": identified,
        "suomifi_enabled": suomifi.enabled(),
        "login_url": login_url,
    }
    return render(request, "accounts/invitation.html", context)
