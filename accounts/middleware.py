"""Ministry staff and admins pass a second factor before any page that needs sign-in."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .security import requires_two_factor, second_factor_passed


def two_factor_exempt(view):
    """Marks the views an unverified user still needs: entering the code, enrolling, signing out."""
    view.two_factor_exempt = True
    return view


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "two_factor_exempt", False):
            return None
        ministry_only = getattr(getattr(view_func, "view_class", None), "ministry_only", False)
        if not getattr(view_func, "login_required", True) and not ministry_only:
            return None  # a public page
        user = request.user
        if not requires_two_factor(user) or second_factor_passed(request):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two-factor')}?{query}")


class SingleLogoutFormActionMiddleware:
    """Lets the sign-out form of a single-sign-on session lead on to the identity provider.

    The content security policy allows forms to post only to this site (form-action 'self'), and browsers
    apply that to the redirects after the post too: the sign-out's redirect to the provider's logout
    address would be blocked. For a session signed in through a provider, that provider's origin is
    added to form-action on its pages; nobody else's policy changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        method = session.get("sign_in_method") if session is not None else None
        if method:
            from .sso_views import logout_origins

            origins = logout_origins(method)
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *origins]
                response._csp_update = update
        return response
