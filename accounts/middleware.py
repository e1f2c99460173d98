"""Ministry staff and admins pass a second factor before any page that needs sign-in."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .security import requires_two_factor


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
        if not requires_two_factor(user) or user.is_verified():
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two-factor')}?{query}")
