"""Municipality staff sign in through Suomi.fi e-Identification (SAML 2.0), with djangosaml2 on pysaml2.

pysaml2 does the protocol and, through Debian's xmlsec1, every XML signature and decryption: our
authentication requests and logout requests are signed with our key, the identity provider's assertions must
be signed with a key in its metadata and encrypted to our key (an assertion in clear is refused here, before
anyone is signed in), an answer must answer a request this browser made (no unsolicited or replayed
responses) and be within its validity time.

Suomi.fi's attribute profile ("Attributes transmitted on an identified user", Digital and Population Data
Services Agency: https://esuomi.fi/suomi-fi-services/suomi-fi-e-identification/14247-2/?lang=en) names the
attributes by OID; we ask for the personal identity code (nationalIdentificationNumber, urn:oid:1.2.246.21)
and the names (displayName, givenName, sn, cn). The personal identity code is used only to compute a keyed
hash (HMAC-SHA256 with IDENTITY_HASH_KEY) that recognises the same person at the next sign-in; it is never
stored, logged or shown.

pysaml2's configuration loads XML schemas, about 30 MB in every process that imports it: this module does not
import it at the top, and the SAML endpoints (accounts.suomifi_acs, djangosaml2's views) are imported at
their first request (accounts.sso_urls), so that the processes that never see a Suomi.fi exchange (the mail
worker, the exports, management commands) do not carry it.

A person is let in only if that hash is linked to one of our users, or if they are following an invitation
(accounts.invitations) to one of the municipalities: then the user is created (or the invited address's
existing account linked) and the invitation page asks them to accept it."""

import hashlib
import hmac
import logging
import shutil
import time

import saml2
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from djangosaml2.backends import Saml2Backend
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256
from stdnum.fi import hetu

from .models import ExternalIdentity, IdentityKind, Invitation, User

log = logging.getLogger("security")

# The Suomi.fi attribute profile (see the module's docstring).
PERSONAL_IDENTITY_CODE = "urn:oid:1.2.246.21"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
COMMON_NAME = "urn:oid:2.5.4.3"
# pysaml2 turns the OIDs it knows into their friendly names; the personal identity code it does not know.
FRIENDLY = {
    PERSONAL_IDENTITY_CODE: "nationalIdentificationNumber",
    DISPLAY_NAME: "displayName",
    GIVEN_NAME: "givenName",
    SURNAME: "sn",
    COMMON_NAME: "cn",
}

# Where the invitation being followed is kept while the person identifies: in djangosaml2's own session,
# whose cookie (SameSite=None over HTTPS) comes back with Suomi.fi's cross-site POST, unlike ours (Lax).
PENDING_INVITATION = "pending_invitation"
SIGN_IN_METHOD = "sign_in_method"
CONFIG_CACHE_SECONDS = 3600
_configs: dict = {}


def enabled() -> bool:
    return bool(settings.SUOMIFI_IDP_METADATA_URL or settings.SUOMIFI_IDP_METADATA_FILE)


def identity_hash(personal_identity_code: str) -> str:
    """The keyed hash that recognises a person again; the same code always gives the same hash."""
    code = hetu.compact(personal_identity_code)
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, b"suomi.fi:" + code.encode(), hashlib.sha256).hexdigest()


def sp_settings() -> dict:
    """pysaml2's configuration of our service provider, from the settings."""
    base = settings.SITE_URL.rstrip("/")
    if settings.SUOMIFI_IDP_METADATA_URL:
        metadata = {"remote": [{"url": settings.SUOMIFI_IDP_METADATA_URL}]}
    else:
        metadata = {"local": [settings.SUOMIFI_IDP_METADATA_FILE]}
    keypair = {"key_file": settings.SUOMIFI_SP_KEY_FILE, "cert_file": settings.SUOMIFI_SP_CERT_FILE}
    return {
        "entityid": settings.SUOMIFI_ENTITY_ID or f"{base}/saml2/metadata/",
        "xmlsec_binary": shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": "Kuntien digitalisaatiohankkeiden valtionavustukset",
                "name_id_format": NAMEID_FORMAT_TRANSIENT,
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml2/acs/", saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (f"{base}/saml2/ls/", saml2.BINDING_HTTP_REDIRECT),
                        (f"{base}/saml2/ls/post/", saml2.BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "requested_attribute_name_format": NAME_FORMAT_URI,
                "required_attributes": ["nationalIdentificationNumber", "displayName", "givenName", "sn"],
                "optional_attributes": ["cn"],
            }
        },
        "metadata": metadata,
        "key_file": keypair["key_file"],
        "cert_file": keypair["cert_file"],
        "encryption_keypairs": [keypair],
        "attribute_map_dir": None,
        "contact_person": [
            {"contact_type": "technical", "email_address": settings.DEFAULT_FROM_EMAIL},
        ],
    }


def config_loader(request=None):
    """djangosaml2's SAML_CONFIG_LOADER (a saml2.config.SPConfig). The identity provider's metadata is
    fetched once an hour per process, not at every request."""
    from saml2.config import SPConfig  # loads XML schemas (~30 MB): only when a SAML exchange needs it

    conf = sp_settings()
    key = repr(sorted((k, repr(v)) for k, v in conf.items()))
    cached = _configs.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    sp_config = SPConfig()
    sp_config.load(conf)
    sp_config.attribute_converters.extend(_personal_identity_code_converter())
    _configs.clear()
    _configs[key] = (time.monotonic() + CONFIG_CACHE_SECONDS, sp_config)
    return sp_config


def logout_locations() -> list[str]:
    """The identity providers' single-logout addresses (redirect binding), from their metadata."""
    metadata = config_loader().metadata
    locations = []
    for entity_id in metadata.identity_providers():
        for service in metadata.single_logout_service(entity_id, saml2.BINDING_HTTP_REDIRECT, "idpsso"):
            locations.append(service["location"])
    return locations


def _personal_identity_code_converter():
    from saml2.attribute_converter import AttributeConverter

    converter = AttributeConverter(NAME_FORMAT_URI)
    converter.from_dict(
        {
            "identifier": NAME_FORMAT_URI,
            "fro": {PERSONAL_IDENTITY_CODE: "nationalIdentificationNumber"},
            "to": {"nationalIdentificationNumber": PERSONAL_IDENTITY_CODE},
        }
    )
    return [converter]


def _first(attributes: dict, oid: str) -> str:
    for name in (oid, FRIENDLY[oid]):
        values = attributes.get(name)
        if values:
            return str(values[0] if isinstance(values, list | tuple) else values).strip()
    return ""


def person_name(attributes: dict) -> str:
    return (
        _first(attributes, DISPLAY_NAME)
        or " ".join(filter(None, (_first(attributes, GIVEN_NAME), _first(attributes, SURNAME))))
        or _first(attributes, COMMON_NAME)
    )


def refuse(request, reason: str) -> None:
    """Marks why the sign-in is refused, for the page the person sees."""
    if request is not None:
        request.sign_in_refusal = reason


def pending_invitation(request):
    """The open invitation this browser is following, if any."""
    token_hash = getattr(request, "saml_session", {}).get(PENDING_INVITATION)
    if not token_hash:
        return None
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=token_hash).first()
    return invitation if invitation is not None and invitation.is_open else None


class SuomiFiBackend(Saml2Backend):
    """Finds (or, for a person following an invitation, creates) the user of a Suomi.fi identity."""

    def authenticate(self, request, session_info=None, attribute_mapping=None, **kwargs):
        if request is None or not session_info:
            return None
        attributes = session_info.get("ava") or {}
        code = _first(attributes, PERSONAL_IDENTITY_CODE)
        if not code or not hetu.is_valid(code, allow_temporary=True):
            refuse(request, "attributes")
            return None
        subject = identity_hash(code)
        issuer = session_info.get("issuer") or ""
        with transaction.atomic():
            identity = (
                ExternalIdentity.objects.select_for_update()
                .select_related("user")
                .filter(kind=IdentityKind.SUOMI_FI, subject=subject)
                .first()
            )
            if identity is None:
                invitation = pending_invitation(request)
                if invitation is None:
                    refuse(request, "no_invitation")
                    return None
                user = _invited_person(invitation, person_name(attributes))
                if user is None:
                    refuse(request, "account_not_linkable")
                    return None
                identity = ExternalIdentity.objects.create(
                    user=user, kind=IdentityKind.SUOMI_FI, issuer=issuer, subject=subject
                )
                log.info("suomi.fi identity linked user=%s invitation=%s", user.pk, invitation.pk)
            user = identity.user
            if not user.is_active:
                refuse(request, "inactive")
                return None
            name = person_name(attributes)
            if name and name != user.full_name and not user.is_pseudonymised:
                user.full_name = name[:200]
                user.save(update_fields=["full_name"])
            identity.last_used_at = timezone.now()
            identity.save(update_fields=["last_used_at"])
        return user


def _invited_person(invitation, name):
    """The account of the invited address, or a new one without a password (they sign in with Suomi.fi).
    Ministry staff's and administrators' accounts are never linked to a Suomi.fi identity this way."""
    from .permissions import is_ministry_staff

    user = User.objects.filter(email=invitation.email).first()
    if user is None:
        return User.objects.create_user(email=invitation.email, full_name=name[:200], password=None)
    if user.is_superuser or user.is_staff or is_ministry_staff(user) or user.is_pseudonymised:
        return None
    return user
