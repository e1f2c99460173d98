"""Sign-in through the state's identity services, in a real browser against real protocol implementations.

The demo identity provider (demo_idp: django-oauth-toolkit's OpenID Connect provider and a pysaml2 SAML
identity provider) runs as its own process on loopback, started here with its test-only broken accounts
and answers. An official signs in through the ministry's provider and gets the role their group gives; a
missing multi-factor claim is refused; municipality staff accept an invitation after a Suomi.fi-style
identification; tampered, unsigned, unencrypted, expired and replayed answers are refused with a clear page
and a security-log line.

The SAML half needs Debian's xmlsec1 (pysaml2 signs and decrypts with it): without it those tests skip
with that reason on a user's machine and fail in CI (SSO_REQUIRED)."""

import logging
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings

from accounts import invitations
from accounts.models import ExternalIdentity, IdentityKind, Invitation, Membership, Role
from mail.models import Message

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-password-2026"
TEST_PERSON_CODE = "010170-960F"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def needs_xmlsec1():
    if shutil.which("xmlsec1"):
        return
    if os.environ.get("SSO_REQUIRED"):
        pytest.fail("SSO_REQUIRED is set but xmlsec1 is missing (apt-get install xmlsec1)")
    pytest.skip("the SAML tests need xmlsec1 (apt-get install xmlsec1)")


@pytest.fixture(scope="module")
def identity_provider(live_server, tmp_path_factory):
    """The demo provider in its own process, on a port the system gives it (`--port 0`): it writes the port
    it bound to its folder, and the test waits until it answers."""
    directory = tmp_path_factory.mktemp("demo-idp")
    log_file = open(directory / "idp.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "demo_idp", "--dir", str(directory), "--port", "0"]
        + ["--site", live_server.url, "--faults"],
        cwd=django_settings.BASE_DIR,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )

    def failed():
        process.kill()
        return AssertionError((directory / "idp.log").read_text())

    deadline = time.monotonic() + 120
    while not (directory / "port").exists() or not (directory / "port").read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise failed()
        time.sleep(0.1)
    url = f"http://{urlsplit(live_server.url).hostname}:{(directory / 'port').read_text()}"
    while True:
        try:
            with urllib.request.urlopen(f"{url}/o/.well-known/openid-configuration", timeout=5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise failed() from None
            time.sleep(0.3)
    yield SimpleNamespace(url=url, directory=Path(directory))
    process.terminate()
    process.wait(timeout=10)
    log_file.close()


@pytest.fixture
def sso(settings, identity_provider, live_server, ministry, municipalities):
    """The service configured for the demo provider, as the README's variables would configure it."""
    settings.SITE_URL = live_server.url
    settings.OIDC_DISCOVERY_URL = f"{identity_provider.url}/o/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "grants-demo"
    settings.OIDC_CLIENT_SECRET = "grants-demo-secret"
    settings.OIDC_ROLE_GROUPS = {
        "official": "grants-officials",
        "reviewer": "grants-reviewers",
        "decision_maker": "grants-decision-makers",
    }
    settings.SUOMIFI_IDP_METADATA_URL = f"{identity_provider.url}/saml/metadata/"
    settings.SUOMIFI_SP_KEY_FILE = str(identity_provider.directory / "service.key")
    settings.SUOMIFI_SP_CERT_FILE = str(identity_provider.directory / "service.crt")
    return identity_provider


def accessible(visitor):
    """axe-core finds no WCAG 2.1 A or AA violation on the page, and the browser logged no error."""
    results = Axe().run(visitor.page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    return True


def security_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "security"]


def ministry_sign_in(visitor, email):
    page = visitor.go("/fi/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("link", name="Kirjaudu ministeriön tunnuksella").click()
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def test_the_sign_in_page_offers_each_way_in(sso, visit):
    visitor = visit()
    page = visitor.go("/fi/accounts/login/")
    assert page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").is_visible()
    assert page.get_by_role("link", name="Kirjaudu ministeriön tunnuksella").is_visible()
    assert page.locator("#id_username").is_visible()
    visitor.screenshot("sso-01-sign-in-choices")
    assert accessible(visitor)
    # Without the providers configured, the page is the password form alone.
    django_settings.OIDC_DISCOVERY_URL = ""
    django_settings.SUOMIFI_IDP_METADATA_URL = ""
    page = visitor.go("/fi/accounts/login/")
    assert page.get_by_role("link", name="Kirjaudu ministeriön tunnuksella").count() == 0
    assert page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").count() == 0


def test_an_official_signs_in_with_the_ministry_account_and_gets_the_role_of_their_group(sso, visit, caplog):
    visitor = visit()
    with caplog.at_level(logging.INFO, logger="security"):
        page = ministry_sign_in(visitor, "virkailija@example.fi")
    # The provider vouched for multi-factor authentication: no authenticator step here.
    assert "/two-factor/" not in page.url and "/login/" not in page.url, page.url
    assert "Olli Official" in page.content()
    visitor.screenshot("sso-02-official-signed-in")
    identity = ExternalIdentity.objects.get(kind=IdentityKind.MINISTRY_SSO)
    assert identity.user.email == "virkailija@example.fi"
    assert set(Membership.objects.filter(user=identity.user).values_list("role", flat=True)) == {
        Role.OFFICIAL
    }
    assert identity.user.is_staff  # officials manage municipality staff's accounts in the admin
    assert any(line.startswith("ministry sso sign-in user=") for line in security_lines(caplog))
    # The official's page needs the role: it opens.
    visitor.go("/fi/processing/")

    # Single logout: signing out here ends the session at the provider too, and here.
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(re.compile(r"/fi/(\?.*)?$"))
    page = visitor.go("/fi/start/")
    assert "/accounts/login/" in page.url
    # The provider's session ended too: the next SSO sign-in asks for the password again.
    with page.expect_navigation():
        visitor.go("/fi/accounts/login/").get_by_role("link", name="Kirjaudu ministeriön tunnuksella").click()
    assert "/login/" in page.url and page.locator("#id_password").is_visible()


def test_a_group_gives_its_role_and_a_role_removed_at_the_provider_is_removed_here(sso, visit):
    visitor = visit()
    page = ministry_sign_in(visitor, "paattaja@example.fi")
    assert "/login/" not in page.url
    user = ExternalIdentity.objects.get(kind=IdentityKind.MINISTRY_SSO).user
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.DECISION_MAKER]
    # A role given here by hand (not by the provider's groups) is gone at the next sign-in.
    Membership.objects.create(
        user=user, organisation=Membership.objects.get(user=user).organisation, role=Role.OFFICIAL
    )
    visitor.context.clear_cookies()
    ministry_sign_in(visitor, "paattaja@example.fi")
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.DECISION_MAKER]


def test_a_ministry_role_without_multi_factor_authentication_is_refused(sso, visit, caplog):
    visitor = visit()
    with caplog.at_level(logging.INFO, logger="security"):
        page = ministry_sign_in(visitor, "ilman-mfa@example.fi")
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert "monivaiheista tunnistautumista" in page.content()
    visitor.screenshot("sso-03-no-multi-factor-refused")
    assert accessible(visitor)
    assert not Membership.objects.filter(user__email="ilman-mfa@example.fi").exists()
    assert any("reason=no_multi_factor" in line for line in security_lines(caplog))
    assert "/accounts/login/" in visitor.go("/fi/start/").url


def test_an_account_without_a_mapped_group_is_refused(sso, visit, caplog):
    visitor = visit()
    with caplog.at_level(logging.INFO, logger="security"):
        page = ministry_sign_in(visitor, "ei-rooleja@example.fi")
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert any("reason=no_role" in line for line in security_lines(caplog))


@pytest.mark.parametrize(
    "email, error",
    [
        ("tampered@example.fi", "BadSignatureError"),
        ("unsigned@example.fi", "UnsupportedAlgorithmError"),
        ("expired@example.fi", "ExpiredTokenError"),
    ],
)
def test_a_broken_id_token_is_refused(sso, visit, caplog, email, error):
    visitor = visit()
    with caplog.at_level(logging.INFO, logger="security"):
        page = ministry_sign_in(visitor, email)
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert "ei voitu varmistaa" in page.content()
    lines = security_lines(caplog)
    assert any("reason=invalid_response" in line and f"error={error}" in line for line in lines), lines
    assert not ExternalIdentity.objects.exists()
    assert "/accounts/login/" in visitor.go("/fi/start/").url


def test_a_replayed_authorisation_response_is_refused(sso, visit, caplog):
    visitor = visit()
    callbacks = []
    visitor.page.on(
        "request", lambda request: "/sso/ministry/callback/" in request.url and callbacks.append(request.url)
    )
    ministry_sign_in(visitor, "virkailija@example.fi")
    assert callbacks
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="Kirjaudu ulos").click()
    with caplog.at_level(logging.INFO, logger="security"):
        response = visitor.page.goto(callbacks[0])
    assert response.status == 400
    assert visitor.page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert any("error=MismatchingStateError" in line for line in security_lines(caplog))
    assert "/accounts/login/" in visitor.go("/fi/start/").url


def invite(people_official, municipality, email, main_user=False):
    invitations.invite(
        by=people_official, organisation=municipality, email=email, main_user=main_user, language="fi"
    )
    body = Message.objects.get(event="staff-invited", to=email).body
    return re.search(r"https?://\S+/invitation/\S+/", body).group(0)


def identify_with_suomi_fi(page, fault=""):
    page.fill("#id_given_name", "Tiina")
    page.fill("#id_surname", "Testihenkilö")
    page.fill("#id_code", TEST_PERSON_CODE)
    if fault:
        page.select_option("#id_fault", fault)
    with page.expect_navigation():
        page.get_by_role("button", name="Tunnistaudu / Identifiera").click()


def test_municipality_staff_accept_an_invitation_after_identifying_with_suomi_fi(sso, visit, people, caplog):
    needs_xmlsec1()
    espoo = people["lead"].memberships.get().organisation
    link = invite(people["official"], espoo, "tiina.testihenkilo@espoo.example.fi", main_user=True)
    visitor = visit()
    page = visitor.go(link.replace(django_settings.SITE_URL, ""))
    assert "Kutsu" in page.content() and "Espoo" in page.content()
    visitor.screenshot("sso-04-invitation")
    assert accessible(visitor)
    with page.expect_navigation():
        page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").click()
    visitor.screenshot("sso-05-suomi-fi-demo-identification")
    identify_with_suomi_fi(page)
    with caplog.at_level(logging.INFO, logger="security"), page.expect_navigation():
        page.get_by_role("button", name="Jatka palveluun").click()
    # Back at the invitation, identified: accept.
    assert "Tiina Testihenkilö" in page.content(), page.url
    visitor.screenshot("sso-06-invitation-identified")
    assert accessible(visitor)
    with page.expect_navigation():
        page.get_by_role("button", name="Hyväksy kutsu").click()
    visitor.screenshot("sso-07-invitation-accepted")
    membership = Membership.objects.get(user__email="tiina.testihenkilo@espoo.example.fi")
    assert (membership.organisation, membership.role, membership.main_user) == (espoo, Role.APPLICANT, True)
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == membership.user and invitation.accepted_at is not None
    identity = ExternalIdentity.objects.get(kind=IdentityKind.SUOMI_FI)
    # Only the keyed hash of the personal identity code is kept, nowhere the code itself.
    assert re.fullmatch(r"[0-9a-f]{64}", identity.subject)
    assert TEST_PERSON_CODE not in identity.subject and "960F" not in str(vars(identity))
    lines = security_lines(caplog)
    assert any(line.startswith("suomi.fi sign-in user=") for line in lines)
    assert all(TEST_PERSON_CODE not in line for line in lines)
    # As a main user, she may invite her colleagues now.
    invitations_page = visitor.go("/fi/accounts/invitations/")
    assert invitations_page.get_by_role("heading", name="Kutsut", exact=True).is_visible()
    visitor.screenshot("sso-08-invitations-page")
    assert accessible(visitor)

    # Single logout through Suomi.fi; the next identification recognises her without an invitation.
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(re.compile(r"/fi/(\?.*)?$"))
    assert "/accounts/login/" in visitor.go("/fi/start/").url
    page = visitor.go("/saml2/login/?next=/fi/start/")
    identify_with_suomi_fi(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Jatka palveluun").click()
    assert "/fi/start/" in page.url or "/applications/" in page.url, page.url
    assert ExternalIdentity.objects.filter(kind=IdentityKind.SUOMI_FI).count() == 1


def test_suomi_fi_identification_without_an_invitation_is_refused(sso, visit, caplog):
    needs_xmlsec1()
    visitor = visit()
    page = visitor.go("/saml2/login/")
    identify_with_suomi_fi(page)
    with caplog.at_level(logging.INFO, logger="security"), page.expect_navigation():
        page.get_by_role("button", name="Jatka palveluun").click()
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert "kutsu" in page.content()
    visitor.screenshot("sso-09-suomi-fi-no-invitation")
    assert any("reason=no_invitation" in line for line in security_lines(caplog))
    assert not ExternalIdentity.objects.exists()


@pytest.mark.parametrize("fault", ["tampered", "unsigned", "unencrypted", "expired"])
def test_a_broken_suomi_fi_answer_is_refused(sso, visit, people, caplog, fault):
    needs_xmlsec1()
    link = invite(people["official"], people["lead"].memberships.get().organisation, "someone@example.fi")
    visitor = visit()
    page = visitor.go(link.replace(django_settings.SITE_URL, ""))
    with page.expect_navigation():
        page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").click()
    identify_with_suomi_fi(page, fault)
    with caplog.at_level(logging.INFO, logger="security"), page.expect_navigation() as navigation:
        page.get_by_role("button", name="Jatka palveluun").click()
    assert navigation.value.status == 400
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    if fault == "tampered":
        visitor.screenshot("sso-10-suomi-fi-tampered-refused")
    lines = security_lines(caplog)
    assert any(line.startswith("suomi.fi sign-in refused") for line in lines), lines
    if fault == "unencrypted":
        assert any("reason=not_encrypted" in line for line in lines)
    assert not ExternalIdentity.objects.exists()
    assert not Membership.objects.filter(user__email="someone@example.fi").exists()


def test_a_replayed_suomi_fi_answer_is_refused(sso, visit, people, caplog):
    needs_xmlsec1()
    link = invite(people["official"], people["lead"].memberships.get().organisation, "someone@example.fi")
    visitor = visit()
    page = visitor.go(link.replace(django_settings.SITE_URL, ""))
    with page.expect_navigation():
        page.get_by_role("link", name="Tunnistaudu Suomi.fi:llä").click()
    identify_with_suomi_fi(page)
    answer_page = page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Jatka palveluun").click()
    assert ExternalIdentity.objects.count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaudu ulos").click()
    # The same signed, encrypted answer posted again.
    page.set_content(answer_page)
    with caplog.at_level(logging.INFO, logger="security"), page.expect_navigation() as navigation:
        page.get_by_role("button", name="Jatka palveluun").click()
    assert navigation.value.status in (400, 403)
    assert page.get_by_role("heading", name="Et kirjautunut sisään").is_visible()
    assert any(line.startswith("suomi.fi sign-in refused") for line in security_lines(caplog))
    assert "/accounts/login/" in visitor.go("/fi/start/").url
