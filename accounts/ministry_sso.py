"""Ministry staff sign in through the ministry's own identity provider (OpenID Connect), with Authlib.

Authlib does the protocol: the provider's discovery document (OIDC_DISCOVERY_URL), the authorisation code
flow with PKCE (S256), `state` and `nonce` kept in the session and checked, the code exchanged with the
client secret, and the ID token's signature checked against the provider's published keys (JWKS) and its
issuer, audience, expiry and nonce validated. Authlib was chosen over mozilla-django-oidc because it reads
the provider's discovery document (mozilla-django-oidc wants every endpoint configured by hand) and over
django-allauth because allauth would replace our own sign-in, lockout and two-factor pages.

Who is what comes from the provider at every sign-in: the group claim (OIDC_GROUPS_CLAIM) is mapped to our
ministry roles through OIDC_ROLE_GROUPS, and the memberships are set to exactly those roles, so a change made
at the provider takes effect at the next sign-in. Ministry roles need multi-factor authentication at the
provider (an `amr` value in OIDC_MFA_AMR or an `acr` value in OIDC_MFA_ACR); then our own authenticator
step is not asked again. A provider that signs the person out tells us so on the back channel
(OpenID Connect Back-Channel Logout 1.0), and the person's sessions here end too."""

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from joserfc.errors import JoseError

from .models import (
    MINISTRY_ROLES,
    ExternalIdentity,
    IdentityKind,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from .roles import sync_role_groups
from .security import PROVIDER_MULTI_FACTOR, client_address

log = logging.getLogger("security")

SIGN_IN_METHOD = "sign_in_method"
ID_TOKEN = "sso_id_token"
SSO_SESSION = "sso_sid"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)

_clients: dict = {}


class Refused(Exception):
    """A sign-in the provider vouched for but that we do not let in; `reason` names the page's message."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def enabled() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def client():
    """The provider's client, one per configuration and process (it caches the discovery document and
    the provider's keys)."""
    key = (settings.OIDC_DISCOVERY_URL, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
    if key not in _clients:
        # authlib's Django client only where the provider is used.
        from authlib.integrations.django_client import OAuth

        oauth = OAuth()
        _clients.clear()
        _clients[key] = oauth.register(
            name="ministry",
            server_metadata_url=settings.OIDC_DISCOVERY_URL,
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            client_kwargs={"scope": settings.OIDC_SCOPES, "code_challenge_method": "S256"},
        )
    return _clients[key]


def claimed_groups(claims) -> set[str]:
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    return {value} if isinstance(value, str) else {str(group) for group in value}


def mapped_roles(claims) -> set[str]:
    """Our ministry roles that the provider's groups give (OIDC_ROLE_GROUPS: role=group,…)."""
    groups = claimed_groups(claims)
    valid = {role.value for role in MINISTRY_ROLES}
    return {role for role, group in settings.OIDC_ROLE_GROUPS.items() if role in valid and group in groups}


def multi_factor(claims) -> bool:
    amr = claims.get("amr") or []
    amr = {amr} if isinstance(amr, str) else set(amr)
    acr = claims.get("acr")
    return bool(amr & set(settings.OIDC_MFA_AMR)) or (bool(acr) and acr in settings.OIDC_MFA_ACR)


def ministry():
    organisation = Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("pk").first()
    if organisation is None:
        raise Refused("not_configured")
    return organisation


def official_for(claims) -> User:
    """The user the provider's claims name, with their ministry roles set to what the groups give."""
    roles = mapped_roles(claims)
    issuer, subject = claims["iss"], str(claims["sub"])
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(kind=IdentityKind.MINISTRY_SSO, issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            if not roles:
                raise Refused("no_role")
            identity = ExternalIdentity(
                user=_account_for(claims), kind=IdentityKind.MINISTRY_SSO, issuer=issuer, subject=subject
            )
        user = identity.user
        if not user.is_active:
            raise Refused("inactive")
        if roles and not multi_factor(claims):
            raise Refused("no_multi_factor")
        organisation = ministry()
        held = Membership.objects.filter(user=user, role__in=MINISTRY_ROLES)
        held.exclude(role__in=roles).delete()
        for role in roles - set(held.values_list("role", flat=True)):
            Membership.objects.create(user=user, organisation=organisation, role=Role(role))
        sync_role_groups(user)
        name = claims.get("name") or " ".join(
            filter(None, (claims.get("given_name"), claims.get("family_name")))
        )
        if name and name != user.full_name:
            user.full_name = name[:200]
            user.save(update_fields=["full_name"])
        identity.last_used_at = timezone.now()
        identity.save()
    log.info("ministry sso roles user=%s roles=%s", user.pk, ",".join(sorted(roles)) or "-")
    if not roles:
        # The roles were taken away at the provider: the account stays, without them, and is not let in.
        raise Refused("no_role")
    return user


def _account_for(claims) -> User:
    """At the first sign-in: the account with the provider's address (the ministry's provider is the
    authority on its staff's addresses), or a new one without a password. An administrator's account is
    never taken over this way: the emergency administrator stays a local account."""
    email = User.objects.normalize_email(claims.get("email") or "").lower()
    if not email:
        raise Refused("no_email")
    user = User.objects.filter(email=email).first()
    if user is None:
        return User.objects.create_user(email=email, full_name=(claims.get("name") or "")[:200])
    if user.is_superuser or user.external_identities.filter(kind=IdentityKind.MINISTRY_SSO).exists():
        raise Refused("account_not_linkable")
    return user


def sign_in(request, token) -> User:
    """Signs the person in from the provider's validated token response."""
    claims = token["userinfo"]
    user = official_for(claims)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGN_IN_METHOD] = IdentityKind.MINISTRY_SSO.value
    request.session[ID_TOKEN] = token.get("id_token", "")
    request.session[SSO_SESSION] = claims.get("sid") or ""
    request.session[PROVIDER_MULTI_FACTOR] = multi_factor(claims)
    log.info("ministry sso sign-in user=%s address=%s", user.pk, client_address(request))
    return user


def end_session_url(id_token: str, after: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), if it has one."""
    try:
        metadata = client().load_server_metadata()
    except PROTOCOL_ERRORS:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client().create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token or None)["url"]


def backchannel_logout(logout_token: str) -> int:
    """Validates the provider's logout token (signature against its keys, issuer, audience, the logout
    event, no nonce) and ends the sessions it names; returns how many ended."""
    provider = client()
    metadata = provider.load_server_metadata()
    from joserfc import jwt  # with its cryptography (~10 MB a process): only for a logout token
    from joserfc.jwk import KeySet

    keys = KeySet.import_key_set(provider.fetch_jwk_set())
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    token = jwt.decode(logout_token, keys, algorithms=[alg for alg in algorithms if alg != "none"])
    claims_registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": settings.OIDC_CLIENT_ID},
        iat={"essential": True},
        events={"essential": True},
        leeway=120,
    )
    claims_registry.validate(token.claims)
    claims = token.claims
    if BACKCHANNEL_EVENT not in (claims.get("events") or {}) or "nonce" in claims:
        raise ValueError("not a logout token")
    if not claims.get("sid") and not claims.get("sub"):
        raise ValueError("a logout token names a session or a subject")
    user_ids = set(
        ExternalIdentity.objects.filter(
            kind=IdentityKind.MINISTRY_SSO, issuer=metadata["issuer"], subject=str(claims.get("sub") or "")
        ).values_list("user_id", flat=True)
    )
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if data.get(SIGN_IN_METHOD) != IdentityKind.MINISTRY_SSO.value:
            continue
        same_session = claims.get("sid") and data.get(SSO_SESSION) == claims["sid"]
        same_person = claims.get("sub") and str(data.get("_auth_user_id")) in {str(pk) for pk in user_ids}
        if same_session or same_person:
            session.delete()
            ended += 1
    log.info("ministry sso back-channel logout sessions=%s", ended)
    return ended
