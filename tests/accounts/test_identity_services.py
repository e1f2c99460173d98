"""The rules around the identity services, without a browser: roles from the provider's groups, the
multi-factor requirement, local passwords for ministry roles, the keyed hash of the personal identity code,
invitations, back-channel logout, and the personal data of the new identities. The browser journeys
through the real providers are in tests/e2e/test_sign_in_services.py."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import RSAKey

from accounts import invitations, ministry_sso, personal_data, suomifi
from accounts.models import ExternalIdentity, IdentityKind, Invitation, Membership, Role
from accounts.security import PROVIDER_MULTI_FACTOR
from mail.models import Message
from tests.factories import UserFactory

ISSUER = "https://login.ministry.example/"
ROLE_GROUPS = {"official": "grants-officials", "reviewer": "grants-reviewers", "decision_maker": "deciders"}


@pytest.fixture
def sso_settings(settings):
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.OIDC_MFA_AMR = ["mfa"]
    settings.OIDC_MFA_ACR = ["https://login.ministry.example/loa/high"]
    return settings


def claims(sub="abc-123", groups=("grants-officials",), amr=("pwd", "mfa"), **extra):
    return {
        "iss": ISSUER,
        "sub": sub,
        "email": "Olli.Official@Ministry.example",
        "name": "Olli Official",
        "groups": list(groups),
        "amr": list(amr),
        **extra,
    }


def test_groups_map_to_roles_through_the_setting(sso_settings):
    assert ministry_sso.mapped_roles(claims(groups=["grants-reviewers", "deciders", "other"])) == {
        "reviewer",
        "decision_maker",
    }
    assert ministry_sso.mapped_roles({**claims(), "groups": "grants-officials"}) == {"official"}
    assert ministry_sso.mapped_roles(claims(groups=[])) == set()
    # A mistyped role in the setting gives nothing rather than something unknown.
    sso_settings.OIDC_ROLE_GROUPS = {"superuser": "grants-officials"}
    assert ministry_sso.mapped_roles(claims()) == set()


def test_multi_factor_comes_from_amr_or_acr(sso_settings):
    assert ministry_sso.multi_factor(claims(amr=["pwd", "mfa"]))
    assert not ministry_sso.multi_factor(claims(amr=["pwd"]))
    assert not ministry_sso.multi_factor(claims(amr=[]))
    assert ministry_sso.multi_factor(claims(amr=[], acr="https://login.ministry.example/loa/high"))
    assert not ministry_sso.multi_factor(claims(amr=[], acr="https://login.ministry.example/loa/low"))


def test_first_sign_in_creates_the_official_with_the_roles_of_their_groups(sso_settings, ministry):
    user = ministry_sso.official_for(claims(groups=["grants-officials", "deciders"]))
    assert user.email == "olli.official@ministry.example" and user.full_name == "Olli Official"
    assert not user.has_usable_password()
    assert set(user.memberships.values_list("role", flat=True)) == {Role.OFFICIAL, Role.DECISION_MAKER}
    assert user.is_staff
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.kind, identity.issuer, identity.subject) == (
        IdentityKind.MINISTRY_SSO,
        ISSUER,
        "abc-123",
    )


def test_roles_follow_the_provider_at_each_sign_in(sso_settings, ministry):
    user = ministry_sso.official_for(claims(groups=["grants-officials"]))
    assert ministry_sso.official_for(claims(groups=["grants-reviewers"])) == user
    assert list(user.memberships.values_list("role", flat=True)) == [Role.REVIEWER]
    assert not type(user).objects.get(pk=user.pk).is_staff
    # Every group taken away: the roles go and the sign-in is refused; the account stays.
    with pytest.raises(ministry_sso.Refused) as refusal:
        ministry_sso.official_for(claims(groups=[]))
    assert refusal.value.reason == "no_role"
    assert not user.memberships.exists()


def test_a_ministry_role_without_multi_factor_is_refused_and_changes_nothing(sso_settings, ministry):
    with pytest.raises(ministry_sso.Refused) as refusal:
        ministry_sso.official_for(claims(amr=["pwd"]))
    assert refusal.value.reason == "no_multi_factor"
    assert not ExternalIdentity.objects.exists() and not Membership.objects.exists()


def test_an_existing_account_is_linked_by_address_but_never_an_administrators(sso_settings, ministry):
    existing = UserFactory(email="olli.official@ministry.example")
    assert ministry_sso.official_for(claims()) == existing
    UserFactory(email="root@ministry.example", is_superuser=True, is_staff=True)
    with pytest.raises(ministry_sso.Refused) as refusal:
        ministry_sso.official_for(claims(sub="root", email="root@ministry.example"))
    assert refusal.value.reason == "account_not_linkable"


def test_no_ministry_in_the_organisations_is_said_plainly(sso_settings, db):
    with pytest.raises(ministry_sso.Refused) as refusal:
        ministry_sso.official_for(claims())
    assert refusal.value.reason == "not_configured"


@pytest.mark.second_factor_not_passed
def test_the_providers_multi_factor_stands_for_our_second_factor(people, client):
    client.force_login(people["official"])
    assert "/two-factor/" in client.get(reverse("processing:calls"))["Location"]
    session = client.session
    session[PROVIDER_MULTI_FACTOR] = True
    session.save()
    assert client.get(reverse("processing:calls")).status_code == 200


def test_local_passwords_for_ministry_roles_can_be_switched_off(settings, people, ministry):
    for user in (people["official"], people["lead"]):
        user.set_password("a-good-test-password")
        user.save()
    root = UserFactory(email="root@example.fi", is_superuser=True, is_staff=True)
    root.set_password("a-good-test-password")
    root.save()
    login = reverse("accounts:login")

    def sign_in(email):
        return Client().post(login, {"username": email, "password": "a-good-test-password"})

    assert sign_in("official@example.fi").status_code == 302
    settings.LOCAL_SIGN_IN_FOR_MINISTRY = False
    refused = sign_in("official@example.fi")
    assert refused.status_code == 200
    assert "sign in with the ministry&#x27;s account" in refused.content.decode()
    # Municipality staff and the emergency administrator keep their passwords.
    assert sign_in("lead@example.fi").status_code == 302
    assert sign_in("root@example.fi").status_code == 302


def test_the_personal_identity_code_is_kept_only_as_a_keyed_hash(settings):
    settings.IDENTITY_HASH_KEY = "key-one"
    first = suomifi.identity_hash("010170-960F")
    assert first == suomifi.identity_hash(" 010170-960f ".upper().strip())
    assert len(first) == 64 and "960F" not in first
    assert first != suomifi.identity_hash("010170-961H")
    settings.IDENTITY_HASH_KEY = "key-two"
    assert suomifi.identity_hash("010170-960F") != first


def test_suomi_fi_names_come_from_the_attribute_profile():
    assert suomifi.person_name({"urn:oid:2.16.840.1.113730.3.1.241": ["Tiina Testi"]}) == "Tiina Testi"
    assert suomifi.person_name({"givenName": ["Tiina"], "sn": ["Testi"]}) == "Tiina Testi"
    assert suomifi.person_name({"cn": ["Testi Tiina"]}) == "Testi Tiina"


def test_a_main_user_invites_to_their_own_municipality_only(people, municipalities):
    lead = people["lead"]
    membership = lead.memberships.get()
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=lead, organisation=municipalities["lead"], email="x@example.fi", main_user=False, language="fi"
        )
    membership.main_user = True
    membership.save()
    invitation = invitations.invite(
        by=lead, organisation=municipalities["lead"], email=" New@Example.fi", main_user=False, language="sv"
    )
    assert invitation.email == "new@example.fi" and invitation.is_open
    # Sending again replaces the earlier link.
    again = invitations.invite(
        by=lead, organisation=municipalities["lead"], email="new@example.fi", main_user=False, language="sv"
    )
    invitation.refresh_from_db()
    assert again.is_open and not invitation.is_open and invitation.revoked_at is not None
    Message.objects.filter(pk=Message.objects.order_by("pk").last().pk).delete()
    message = Message.objects.get(event="staff-invited")
    assert message.to == "new@example.fi" and message.language == "sv"
    assert "/sv/accounts/invitation/" in message.body
    with pytest.raises(PermissionDenied):
        invitations.invite(
            by=lead,
            organisation=municipalities["other"],
            email="y@example.fi",
            main_user=False,
            language="fi",
        )
    with pytest.raises(ValidationError):
        invitations.invite(
            by=lead, organisation=municipalities["lead"], email="z@example.fi", main_user=True, language="fi"
        )
    with pytest.raises(ValidationError):
        invitations.invite(
            by=lead,
            organisation=municipalities["lead"],
            email="lead2@example.fi",
            main_user=False,
            language="fi",
        )


def test_an_official_invites_a_main_user_who_accepts(people, municipalities):
    invitation = invitations.invite(
        by=people["official"],
        organisation=municipalities["other"],
        email="m@example.fi",
        main_user=True,
        language="fi",
    )
    person = UserFactory(email="m@example.fi")
    membership = invitations.accept(invitation, person)
    assert (membership.organisation, membership.role, membership.main_user) == (
        municipalities["other"],
        Role.APPLICANT,
        True,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == person and not invitation.is_open
    with pytest.raises(ValidationError):
        invitations.accept(invitation, person)


def test_an_expired_or_withdrawn_invitation_cannot_be_accepted(people, municipalities):
    def sent(email):
        return invitations.invite(
            by=people["official"],
            organisation=municipalities["other"],
            email=email,
            main_user=False,
            language="fi",
        )

    expired = sent("a@example.fi")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    withdrawn = sent("b@example.fi")
    invitations.withdraw(withdrawn, people["official"])
    for invitation in (expired, withdrawn):
        with pytest.raises(ValidationError):
            invitations.accept(invitation, UserFactory())
    assert not Membership.objects.filter(
        organisation=municipalities["other"], user__email__in=["a@example.fi"]
    ).exists()


def test_the_invitations_page_sends_and_shows_errors_next_to_the_field(client, people, municipalities):
    client.force_login(people["official"])
    url = reverse("accounts:invitations")
    response = client.post(
        url, {"municipality": municipalities["lead"].pk, "email": "not an address", "language": "fi"}
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    response = client.post(
        url, {"municipality": municipalities["lead"].pk, "email": "lead@example.fi", "language": "fi"}
    )
    assert "already works for the municipality" in str(response.context["form"].errors["email"])
    response = client.post(
        url, {"municipality": municipalities["lead"].pk, "email": "new@example.fi", "language": "fi"}
    )
    assert response.status_code == 302
    assert "new@example.fi" in client.get(url).content.decode()


def test_the_new_identities_are_in_the_personal_data_and_go_with_pseudonymisation(people, municipalities):
    lead = people["lead"]
    ExternalIdentity.objects.create(user=lead, kind=IdentityKind.SUOMI_FI, issuer="idp", subject="f" * 64)
    invitation = invitations.invite(
        by=people["official"],
        organisation=municipalities["partner"],
        email=lead.email,
        main_user=False,
        language="fi",
    )
    invitations.accept(invitation, lead)
    data = personal_data.export(lead)
    assert (
        data["identities"][0]["identifier"] == "f" * 64 and data["identities"][0]["identifier_is_keyed_hash"]
    )
    assert data["invitations_to_your_address"][0]["accepted_at"]
    personal_data.pseudonymise(lead, by=people["official"])
    assert not ExternalIdentity.objects.filter(user=lead).exists()
    assert not Invitation.objects.filter(email="lead@example.fi").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_by_id == lead.pk


class _Provider(BaseHTTPRequestHandler):
    """A discovery document and its keys, served on loopback for the back-channel logout test."""

    documents: dict = {}

    def do_GET(self):
        body = json.dumps(self.documents[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Provider.documents = {
        "/.well-known/openid-configuration": {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        },
        "/jwks": {"keys": [key.as_dict(private=False)]},
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.OIDC_DISCOVERY_URL = f"{base}/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = f"grants-{time.monotonic_ns()}"
    settings.OIDC_CLIENT_SECRET = "secret"
    yield base, key
    server.shutdown()


def logout_token(base, key, settings, **changes):
    now = int(time.time())
    payload = {
        "iss": base,
        "aud": settings.OIDC_CLIENT_ID,
        "iat": now,
        "jti": str(now),
        "sub": "abc-123",
        "events": {ministry_sso.BACKCHANNEL_EVENT: {}},
        **changes,
    }
    return jwt.encode({"alg": "RS256", "kid": "k1"}, payload, key)


def test_the_providers_back_channel_logout_ends_the_officials_sessions(provider, settings, people, client):
    base, key = provider
    official = people["official"]
    ExternalIdentity.objects.create(
        user=official, kind=IdentityKind.MINISTRY_SSO, issuer=base, subject="abc-123"
    )
    signed_in = Client()
    signed_in.force_login(official)
    session = signed_in.session
    session[ministry_sso.SIGN_IN_METHOD] = IdentityKind.MINISTRY_SSO.value
    session.save()
    url = reverse("sso-ministry-backchannel-logout")

    # Another key's signature, a token for another client and an ID token (with a nonce) are refused.
    stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    for bad in (
        logout_token(base, stranger, settings),
        logout_token(base, key, settings, aud="someone-else"),
        logout_token(base, key, settings, nonce="n"),
        logout_token(base, key, settings, events={}),
    ):
        assert client.post(url, {"logout_token": bad}).status_code == 400
    assert Session.objects.filter(session_key=session.session_key).exists()

    assert client.post(url, {"logout_token": logout_token(base, key, settings)}).status_code == 200
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert "/accounts/login/" in signed_in.get(reverse("accounts:profile"))["Location"]
