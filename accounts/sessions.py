"""Nothing typed is lost when a session ends while someone works.

The idle limit (DJANGO_SESSION_IDLE_SECONDS) signs a user out; a form posted after that would be refused and
its text gone. Here:

- `IdentityCookieMiddleware` remembers, in a signed cookie, whose browser this is (the user's id only, no
  session), so that an expired session can be told apart from a stranger, and kept input given back only to
  the same person. Signing out on purpose forgets it.
- `LoginRequiredKeepingInputMiddleware` (Django's LoginRequiredMiddleware, extended): a form posted after the
  session expired is kept in the new, anonymous session with its owner, path and time (files cannot be kept;
  the page says so), and the sign-in page says that the session expired.
- After signing in again the user lands on the same page; a view marked `restores_input = True` shows the
  form again with the kept input (`kept_input(request)`), with a message saying what happened: its own
  form, or on the officials' case and project pages the form of the action it was posted to
  (`processing.mixins.RestoresKeptAction`). On any other page the message says the last action was not
  carried out.
- `static/js/session.js` warns two minutes before the idle limit and offers to stay signed in (`keepalive`).

The idle limit slides with use (`IdleExpiryMiddleware`): a signed-in request renews the session's expiry,
but at most once every `RENEW_EVERY_SECONDS`, since each renewal is a write to the session table (Django's
SESSION_SAVE_EVERY_REQUEST would write on every page). A session therefore ends between
SESSION_COOKIE_AGE - RENEW_EVERY_SECONDS and SESSION_COOKIE_AGE after the last request, never later; the
page's warning counts from the last renewal (`idle_seconds_left`), and "Stay signed in" always renews.
"""

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

IDENTITY_COOKIE = "grants_user"
IDENTITY_SALT = "accounts.sessions.identity"
KEPT = "kept_input"
KEEP_FOR_SECONDS = 24 * 3600
IDENTITY_DAYS = 30
RENEWED = "_idle_renewed"
RENEW_EVERY_SECONDS = 60


def _renewed_at(request):
    return request.session.get(RENEWED, 0)


def renew_idle_limit(request, *, force=False):
    """Marks the session to be saved with a new expiry (SESSION_COOKIE_AGE from now), if its last renewal
    is older than RENEW_EVERY_SECONDS or `force`."""
    now = timezone.now().timestamp()
    if force or now - _renewed_at(request) >= RENEW_EVERY_SECONDS:
        request.session[RENEWED] = now


def idle_seconds_left(request):
    """Seconds until the idle limit ends this session, counted from its last renewal."""
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return settings.SESSION_COOKIE_AGE
    elapsed = max(0, timezone.now().timestamp() - _renewed_at(request))
    return max(0, round(settings.SESSION_COOKIE_AGE - min(elapsed, settings.SESSION_COOKIE_AGE)))


class IdleExpiryMiddleware:
    """After authentication: a signed-in user's request renews the idle limit (at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request.user, "is_authenticated", False):
            renew_idle_limit(request)
        return self.get_response(request)


def _identity(request):
    try:
        return int(
            request.get_signed_cookie(IDENTITY_COOKIE, salt=IDENTITY_SALT, max_age=IDENTITY_DAYS * 86400)
        )
    except (KeyError, ValueError, signing.BadSignature):
        return None


class IdentityCookieMiddleware:
    """After authentication: sets the signed identity cookie for a signed-in user, and removes it when the
    user signs out during this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        user = request.user  # the API (DRF, without authentication) leaves None here
        if getattr(user, "is_authenticated", False):
            if _identity(request) != user.pk:
                response.set_signed_cookie(
                    IDENTITY_COOKIE,
                    str(user.pk),
                    salt=IDENTITY_SALT,
                    max_age=IDENTITY_DAYS * 86400,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        elif was_signed_in:
            response.delete_cookie(IDENTITY_COOKIE, samesite="Lax")
        return response


def keep_input(request, view_class, owner):
    """Keeps a form posted after the session expired, for `owner`, under the page it came from, with the
    address it was posted to (`action`), so that the page can show that form again."""
    path = action = request.path
    if view_class is not None and "get" not in view_class.http_method_names:
        # A POST-only action: after signing in, return to the page its form was on.
        path = _same_site_referer(request) or path
        request.path = request.path_info = path  # the sign-in page's `next`
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[KEPT] = {
        "owner": owner,
        "path": path,
        "action": action,
        "data": data,
        "files": bool(request.FILES),
        "at": timezone.now().isoformat(),
    }


def signed_in_here_before(request) -> bool:
    return _identity(request) is not None


class LoginRequiredKeepingInputMiddleware(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        owner = _identity(request)
        if owner is not None and request.method == "POST":
            keep_input(request, getattr(view_func, "view_class", None), owner)
        response = super().handle_no_permission(request, view_func)
        if owner is not None:
            # The sign-in page says the session expired (not shown to someone who never signed in here).
            separator = "&" if "?" in response["Location"] else "?"
            response["Location"] += f"{separator}expired=1"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The ministry's pages answer 404 to strangers (processing.mixins.MinistryPage), but a ministry user
        # whose session expired is sent to sign in again, with their input kept, like everywhere else.
        view_class = getattr(view_func, "view_class", None)
        if (
            getattr(view_class, "ministry_only", False)
            and not request.user.is_authenticated
            and signed_in_here_before(request)
        ):
            return self.handle_no_permission(request, view_func)
        return super().process_view(request, view_func, view_args, view_kwargs)


def _same_site_referer(request):
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if (
        referer
        and parts.netloc == request.get_host()
        and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
    ):
        return parts.path
    return None


class KeptInputMiddleware:
    """After sign-in (and the second factor): on the page where the input was typed, hands it to the view,
    once, if it belongs to this user and is recent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.method != "GET" or KEPT not in request.session:
            return None
        kept = request.session[KEPT]
        if kept.get("path") != request.path:
            return None
        del request.session[KEPT]
        age = timezone.now() - datetime.fromisoformat(kept["at"])
        if kept.get("owner") != request.user.pk or age.total_seconds() > KEEP_FOR_SECONDS:
            return None
        view_class = getattr(view_func, "view_class", None)
        restores = getattr(view_class, "restores_input", False)
        if callable(restores):
            # A page with the forms of several actions: does it hold the form this input was posted from?
            restores = restores(kept.get("action", request.path))
        if not restores:
            messages.warning(
                request,
                _("Your session had expired, so your last action was not carried out. Please do it again."),
            )
            return None
        data = QueryDict(mutable=True)
        for key, values in kept["data"].items():
            data.setlist(key, values)
        request.kept_input = data
        request.kept_action = kept.get("action", request.path)
        text = _(
            "Your session expired while you were working. What you typed has been put back below: check it "
            "and save again."
        )
        if kept.get("files"):
            text += " " + _("Files cannot be kept: choose them again.")
        messages.warning(request, text)
        return None


def kept_input(request):
    """The input kept from a form posted after the session expired, for this page and user, or None."""
    return getattr(request, "kept_input", None)


def kept_action(request):
    """The address the kept form was posted to (the page's own, or a POST-only action's), or None."""
    return getattr(request, "kept_action", None)
