"""A user's personal data: everything the system holds about them, and its removal when they leave.

Case journals, decisions and the other case documents are public-authority records that the law requires
to keep (Archives Act 831/1994, Act on the Openness of Government Activities 621/1999), so removal does not
delete them: it pseudonymises the account they point to. The name and address disappear from every page,
the records keep their meaning ("Removed user 17 approved the decision"), and nothing else changes."""

import json
import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import PSEUDONYMISED_DOMAIN, ExternalIdentity, IdentityKind, Invitation, Membership, User

log = logging.getLogger("security")

SIGN_IN_RECORDS = (AccessLog, AccessAttempt, AccessFailureLog)


def _records_naming(user):
    """Every row of every model that points to the user, as (model, field, rows)."""
    # include_hidden: most case records point to users without a reverse accessor (related_name="+").
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.one_to_many):
            continue
        if relation.related_model in (Membership, TOTPDevice, StaticDevice, ExternalIdentity):
            continue  # exported in their own sections
        rows = relation.related_model._default_manager.filter(**{relation.field.name: user}).order_by("pk")
        yield relation.related_model, relation.field, rows


def export(user):
    """The user's own data as a JSON-ready dict (GDPR Art. 15 and 20)."""
    records = []
    for model, field, rows in _records_naming(user):
        for row in rows:
            records.append(
                {
                    "record": model._meta.label,
                    "role": str(field.verbose_name),
                    "id": row.pk,
                    "description": str(row),
                }
            )
    sign_ins = [
        {"time": entry.attempt_time.isoformat(), "address": entry.ip_address, "succeeded": True}
        for entry in AccessLog.objects.filter(username=user.email).order_by("-attempt_time")
    ] + [
        {"time": entry.attempt_time.isoformat(), "address": entry.ip_address, "succeeded": False}
        for entry in AccessFailureLog.objects.filter(username=user.email).order_by("-attempt_time")
    ]
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "active": user.is_active,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "organisations": [
            {"organisation": membership.organisation.name, "role": membership.get_role_display()}
            for membership in user.memberships.select_related("organisation").order_by("pk")
        ],
        "identities": [
            {
                "service": identity.get_kind_display(),
                "issuer": identity.issuer,
                # For Suomi.fi this is a keyed hash of the personal identity code, which is not kept.
                "identifier": identity.subject,
                "identifier_is_keyed_hash": identity.kind == IdentityKind.SUOMI_FI,
                "linked_at": identity.created_at.isoformat(),
                "last_sign_in": identity.last_used_at.isoformat() if identity.last_used_at else None,
            }
            for identity in user.external_identities.order_by("pk")
        ],
        "invitations_to_your_address": [
            {
                "municipality": invitation.organisation.name,
                "sent_at": invitation.created_at.isoformat(),
                "main_user": invitation.main_user,
                "accepted_at": invitation.accepted_at.isoformat() if invitation.accepted_at else None,
            }
            for invitation in Invitation.objects.filter(email=user.email).select_related("organisation")
        ],
        "two_factor_devices": [
            {"kind": device.name, "confirmed": device.confirmed}
            for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
        ],
        "sign_ins": sign_ins,
        "records_naming_you": records,
    }


@transaction.atomic
def pseudonymise(user, by):
    """Removes a departed user's personal data and access, keeping the records that name them.

    The account can never sign in again; its name and address, memberships, second-factor devices, open
    sessions and sign-in records are deleted. Idempotent."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    user.email = f"user-{user.pk}{PSEUDONYMISED_DOMAIN}"
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    Membership.objects.filter(user=user).delete()
    # The identities go (the same person identifying again is a stranger); invitations keep their record of
    # who granted what, without the address.
    ExternalIdentity.objects.filter(user=user).delete()
    Invitation.objects.filter(email=old_email).update(email=user.email)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for model in SIGN_IN_RECORDS:
        model.objects.filter(username__in=[old_email, user.email]).delete()
    _end_sessions(user)
    log.info("personal data pseudonymised user=%s by=%s", user.pk, getattr(by, "pk", None))
    return user


def _end_sessions(user):
    # Sessions store the user id inside their encoded data; only unexpired ones can matter.
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()


def as_response(user):
    """The user's data as a JSON file to download (the user's own page, and the admin's action)."""
    response = HttpResponse(
        json.dumps(export(user), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{user.pk}.json"'
    return response
