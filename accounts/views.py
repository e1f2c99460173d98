"""Sign-in, sign-out, the second factor and the user's own profile. Password reset uses Django's views."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import UpdateView
from django_ratelimit.decorators import ratelimit

from . import ministry_sso, personal_data, suomifi, two_factor
from .forms import (
    AuthenticatorConfirmForm,
    EmailAuthenticationForm,
    PreferredLanguagePasswordResetForm,
    ProfileForm,
    TwoFactorCodeForm,
)
from .middleware import two_factor_exempt
from .security import client_address, log, normalised_email, requires_two_factor, second_factor_passed
from .sessions import renew_idle_limit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ministry_sso=ministry_sso.enabled(), suomi_fi=suomifi.enabled(), **kwargs
        )

    def get_success_url(self):
        url = self.get_redirect_url()
        if url:
            return url
        # Without a `next`, land on the user's own page (tasks or cases) in the user's own language.
        return translate_url(reverse(settings.LOGIN_REDIRECT_URL), self.request.user.preferred_language)


class ProfileView(UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your details were saved."))
        return response

    def get_success_url(self):
        return translate_url(reverse("accounts:profile"), self.object.preferred_language)

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = user.memberships.select_related("organisation")
        return super().get_context_data(
            memberships=memberships,
            two_factor_required=requires_two_factor(user),
            authenticator=two_factor.confirmed_authenticator(user),
            **kwargs,
        )


def _next_url(request):
    """Where to go after the second factor: a path on this site, whatever `next` holds (a bare word would
    otherwise be taken for a view name and fail)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return translate_url(reverse(settings.LOGIN_REDIRECT_URL), request.user.preferred_language)


def _require_two_factor_user(request):
    # Only the users the system asks for a second factor enrol; for others the pages do not exist.
    if not requires_two_factor(request.user):
        raise Http404


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password: the authenticator code or a recovery code."""
    _require_two_factor_user(request)
    if second_factor_passed(request):
        return redirect(_next_url(request))
    if two_factor.confirmed_authenticator(request.user) is None:
        return redirect(f"{reverse('accounts:two-factor-setup')}?{request.GET.urlencode()}")
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        locked_until = two_factor.throttled_until(request.user)
        if locked_until is None and two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        if locked_until:
            form.add_error("code", _("Too many wrong codes. Wait a moment, then try again."))
        else:
            form.add_error("code", _("The code is not valid. Check the code in your app and try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrolment: scan the QR code (or type the key), confirm with the first code, keep the recovery codes."""
    _require_two_factor_user(request)
    if two_factor.confirmed_authenticator(request.user) is not None:
        # A second authenticator needs the first one: an attacker with only the password cannot add theirs.
        return redirect(f"{reverse('accounts:two-factor')}?{request.GET.urlencode()}")
    device = two_factor.pending_authenticator(request)
    form = AuthenticatorConfirmForm(request.POST or None)
    if form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", _("Too many wrong codes. Wait a moment, then try again."))
            codes = None
        else:
            codes = two_factor.confirm_authenticator(request, device, form.cleaned_data["code"])
            if codes is None:
                form.add_error(
                    "code", _("The code is not valid. Check that the app shows the account added here.")
                )
        if codes is not None:
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
    secret = b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
def recovery_codes(request):
    """New recovery codes for a verified user (the middleware has already asked for the second factor)."""
    _require_two_factor_user(request)
    codes = two_factor.new_recovery_codes(request.user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:profile")}
    )


def _reset_account(group, request):
    return normalised_email(request.POST.get("email"))


@method_decorator(
    ratelimit(
        key="ip",
        rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
        method="POST",
        group="password-reset",
        block=False,
    ),
    name="post",
)
@method_decorator(
    ratelimit(
        key=_reset_account,
        rate=settings.PASSWORD_RESET_RATE_PER_ACCOUNT,
        method="POST",
        group="reset-account",
        block=False,
    ),
    name="post",
)
class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Password-reset mail, limited per address and per account (red-team finding 12: anyone could flood
    an official's mailbox). A limited request sends nothing and says so; the message is the same whether
    or not the address has an account."""

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            log.warning("password reset rate-limited address=%s", client_address(request))
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None, _("Too many password links have been asked for just now. Try again in an hour.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


password_reset = RateLimitedPasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=PreferredLanguagePasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while an account or an address is locked: 429 with the time to wait."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


@require_safe
def my_personal_data(request):
    """The signed-in user's own data as a JSON file (GDPR Art. 15 and 20)."""
    return personal_data.as_response(request.user)


@require_safe
@never_cache
def keepalive(request):
    """The session warning's "Stay signed in": renews the idle time now."""
    renew_idle_limit(request, force=True)
    return HttpResponse(status=204)
