"""Two-factor authentication: an authenticator app (TOTP) and single-use recovery codes (django-otp).

A user enrols once: an unconfirmed authenticator device is created for the session, confirmed by the
first correct code (which voids every other unconfirmed one), and ten recovery codes are made at the same
moment. django-otp throttles wrong codes per device."""

import logging

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

log = logging.getLogger("security")

AUTHENTICATOR = "authenticator"
RECOVERY_CODES = "recovery codes"


def confirmed_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


ENROLLING = "two_factor_enrolling_device"


def pending_authenticator(request):
    """The device this session is enrolling. Each session that starts enrolling gets a new secret of its
    own, kept in the session: someone who has only the password sees a key that nobody else will ever be
    shown, and it stops working once the real user confirms theirs (red-team finding 1)."""
    user = request.user
    device = TOTPDevice.objects.filter(pk=request.session.get(ENROLLING), user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
        request.session[ENROLLING] = device.pk
    return device


def normalise_code(code):
    return "".join((code or "").split()).lower()


@transaction.atomic
def confirm_authenticator(request, device, code):
    """Confirms the device with its first code.

    Returns the new recovery codes, or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
    if not device.verify_token(normalise_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Every other session's unconfirmed key is void from now on.
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    request.session.pop(ENROLLING, None)
    codes = new_recovery_codes(request.user)
    otp_login(request, device)
    log.info("two-factor enrolled user=%s", request.user.pk)
    return codes


@transaction.atomic
def new_recovery_codes(user):
    """Replaces the user's recovery codes; returns the new ones to show once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_CODES, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log.info("recovery codes replaced user=%s", user.pk)
    return codes


def throttled_until(user):
    """When the user may try again if wrong codes have locked their devices, else None."""
    for device in (confirmed_authenticator(user), StaticDevice.objects.filter(user=user).first()):
        if device is None:
            continue
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            return details["locked_until"]
    return None


def verify(request, code):
    """Signs the session in with the second factor: six digits are an authenticator code, anything else a
    recovery code (used up when accepted). Returns True on success."""
    user = request.user
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        device = confirmed_authenticator(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    verified = device and verify_token(user, device.persistent_id, code)
    if not verified:
        log.warning("two-factor code rejected user=%s", user.pk)
        return False
    otp_login(request, verified)
    log.info("two-factor verified user=%s device=%s", user.pk, verified.name)
    return True
