"""Sign-in protection: who must use a second factor, the lockout key, and the security log.

Every sign-in, failed sign-in, lockout, second-factor event and removal of personal data is written to the
`security` logger, which production ships to the ministry's log service with the rest of the output."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .permissions import is_ministry_staff

log = logging.getLogger("security")


def requires_two_factor(user):
    """Ministry staff (officials, reviewers, decision-makers) and everyone who can open the admin."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or is_ministry_staff(user)


# Set in the session when the ministry's identity provider vouched for multi-factor authentication at
# sign-in (accounts.ministry_sso): our own authenticator step is then not asked again.
PROVIDER_MULTI_FACTOR = "sso_multi_factor"


def second_factor_passed(request):
    user = request.user
    return bool(user.is_verified() or request.session.get(PROVIDER_MULTI_FACTOR))


def normalised_email(value):
    return (value or "").strip().lower()


def axes_username(request, credentials=None):
    """Count failures per account whatever the letter case or spaces typed around the address, so that
    "Espoo@Example.fi " cannot be used to try more passwords against espoo@example.fi."""
    if credentials and credentials.get("username"):
        return normalised_email(credentials["username"])
    return normalised_email(request.POST.get("username") if request is not None else "")


def client_ip(request):
    """The client's address as the trusted proxies saw it. Each of the TRUSTED_PROXY_COUNT proxies in
    front of the app appends the address it received the request from to X-Forwarded-For, so the entry
    the outermost proxy appended is `entries[-count]`; anything before it came from the client and is
    not believed. With no proxy (the default), REMOTE_ADDR."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= count:
            return entries[-count]
    return request.META.get("REMOTE_ADDR")


def client_address(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    log.info("sign-in succeeded user=%s address=%s", user.pk, client_address(request))
    if getattr(request, "session", None) is not None:
        # Signing in saves the session with a full idle limit: the next page need not renew it.
        from .sessions import renew_idle_limit

        renew_idle_limit(request, force=True)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    log.info("sign-out user=%s address=%s", getattr(user, "pk", None), client_address(request))


@receiver(user_login_failed)
def log_sign_in_failure(sender, credentials, request=None, **kwargs):
    log.warning(
        "sign-in failed account=%s address=%s",
        normalised_email(credentials.get("username")),
        client_address(request),
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    log.warning("sign-in locked out account=%s address=%s", normalised_email(username), ip_address)
