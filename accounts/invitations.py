"""Invitations: how a person gets access to a municipality when municipality staff sign in with Suomi.fi.

A municipality's main user (for their own municipality) or a ministry official (for any) invites an e-mail
address; the link goes there by mail; the person identifies with Suomi.fi and accepts; only then do they
become the municipality's staff. Each invitation stays as the record of who granted what to whom and when,
and each step is written to the security log."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mail.outbox import absolute_url, queue

from .models import Invitation, Membership, Organisation, Role, User
from .permissions import is_official

log = logging.getLogger("security")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def municipalities_of_main_user(user):
    """The municipalities the user may invite staff to."""
    if is_official(user):
        return Organisation.objects.municipalities()
    return Organisation.objects.municipalities().filter(
        memberships__user=user, memberships__role=Role.APPLICANT, memberships__main_user=True
    )


def may_invite(user) -> bool:
    return municipalities_of_main_user(user).exists()


def visible_to(user):
    """The invitations the user may see: all for officials, their municipalities' for main users."""
    invitations = Invitation.objects.select_related("organisation", "invited_by", "accepted_by")
    if is_official(user):
        return invitations
    return invitations.filter(organisation__in=municipalities_of_main_user(user))


@transaction.atomic
def invite(*, by: User, organisation: Organisation, email: str, main_user: bool, language: str) -> Invitation:
    """Sends an invitation; the mail is queued in the same transaction."""
    if not municipalities_of_main_user(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if main_user and not is_official(by):
        raise ValidationError({"main_user": _("Only a ministry official can invite a main user.")})
    email = User.objects.normalize_email(email).strip().lower()
    if Membership.objects.filter(user__email=email, organisation=organisation, role=Role.APPLICANT).exists():
        raise ValidationError({"email": _("This person already works for the municipality in the system.")})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    # Sending again replaces the earlier link: only the newest invitation to an address works.
    replaced = Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    if replaced:
        log.info("invitation replaced organisation=%s count=%s by=%s", organisation.pk, replaced, by.pk)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        main_user=main_user,
        invited_by=by,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        token_hash=token_hash(token),
    )
    queue(
        event="staff-invited",
        to=email,
        language=language,
        template="staff_invitation",
        context={"invitation": invitation, "inviter": by.display_name, "municipality": organisation},
        link=absolute_url("accounts:invitation", language=language, kwargs={"token": token}),
        reference=f"invitation:{invitation.pk}",
    )
    log.info(
        "invitation sent invitation=%s organisation=%s main_user=%s by=%s",
        invitation.pk,
        organisation.pk,
        main_user,
        by.pk,
    )
    return invitation


def find(token: str):
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def accept(invitation: Invitation, user: User) -> Membership:
    """The identified person accepts: they become the municipality's staff (and main user if so invited)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation has already been used, withdrawn or has expired."))
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=Role.APPLICANT
    )
    if invitation.main_user and not membership.main_user:
        membership.main_user = True
        membership.save(update_fields=["main_user"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log.info(
        "invitation accepted invitation=%s user=%s organisation=%s main_user=%s",
        invitation.pk,
        user.pk,
        invitation.organisation_id,
        invitation.main_user,
    )
    return membership


@transaction.atomic
def withdraw(invitation: Invitation, by: User) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not municipalities_of_main_user(by).filter(pk=invitation.organisation_id).exists():
        raise PermissionDenied
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        log.info("invitation withdrawn invitation=%s by=%s", invitation.pk, by.pk)
