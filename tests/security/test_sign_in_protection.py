"""Sign-in protection: lockout per account and per address, strong passwords, the security log."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import SetPasswordForm
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-test-password"


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def test_failures_from_other_addresses_never_lock_the_account(client):
    """Red-team finding 4: five wrong passwords from anywhere locked the account everywhere, so an
    outsider could lock an official or a municipality out before a deadline."""
    UserFactory(email="eeva@example.fi")
    for attempt in range(5):
        response = sign_in(client, "eeva@example.fi", f"guess-{attempt}", address="10.0.1.1")
    assert response.status_code == 429  # the address that failed is locked…
    assert "Sign-in temporarily blocked" in response.content.decode()
    assert "Try again in 15 minutes." in response.content.decode()
    response = sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.2.1")
    assert response.status_code == 302 and signed_in(client)  # …the account, from elsewhere, is not


def test_letter_case_and_spaces_do_not_give_more_tries_from_one_address(client):
    UserFactory(email="eeva@example.fi")
    for variant in [
        "eeva@example.fi",
        "EEVA@example.fi",
        " Eeva@Example.FI",
        "eeva@EXAMPLE.fi ",
        "Eeva@example.fi",
    ]:
        sign_in(client, variant, "wrong", address="10.0.3.1")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.3.1").status_code == 429


def test_five_failures_from_one_address_lock_that_address_for_every_account(client):
    UserFactory(email="eeva@example.fi")
    for number in range(5):
        sign_in(client, f"nobody{number}@example.fi", "wrong", address="10.0.4.4")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.4.4").status_code == 429
    assert not signed_in(client)
    # The account itself is not locked: the same user signs in from another address.
    response = sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.4.5")
    assert response.status_code == 302
    assert signed_in(client)


def test_a_success_clears_the_accounts_failures(client):
    UserFactory(email="eeva@example.fi")
    for _ in range(4):
        sign_in(client, "eeva@example.fi", "wrong", address="10.0.5.1")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.5.2").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        sign_in(client, "eeva@example.fi", "wrong", address="10.0.5.3")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.5.4").status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client):
    UserFactory(email="eeva@example.fi")
    for _ in range(5):
        sign_in(client, "eeva@example.fi", "wrong", address="10.0.6.1")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.6.1").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.6.1").status_code == 302


def test_sign_ins_failures_and_lockouts_are_logged(client, caplog):
    user = UserFactory(email="eeva@example.fi")
    with caplog.at_level(logging.INFO, logger="security"):
        sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.7.1")
        client.post(reverse("accounts:logout"), REMOTE_ADDR="10.0.7.1")
        for _ in range(5):
            sign_in(client, "Eeva@example.fi", "wrong", address="10.0.7.2")
    messages = [record.getMessage() for record in caplog.records if record.name == "security"]
    assert f"sign-in succeeded user={user.pk} address=10.0.7.1" in messages
    assert f"sign-out user={user.pk} address=10.0.7.1" in messages
    assert messages.count("sign-in failed account=eeva@example.fi address=10.0.7.2") == 5
    assert "sign-in locked out account=eeva@example.fi address=10.0.7.2" in messages
    assert not any("wrong" in message for message in messages), "passwords never reach the log"


@pytest.mark.parametrize(
    "password, problem",
    [
        ("Kunta2026", "too short"),
        ("password1234", "too common"),
        ("482917305561", "entirely numeric"),
        ("eeva.example.fi", "too similar"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    user = UserFactory(email="eeva@example.fi", full_name="Eeva Example")
    form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
    assert not form.is_valid()
    assert problem in " ".join(form.errors["new_password2"])


def test_a_strong_password_is_accepted():
    user = UserFactory(email="eeva@example.fi")
    phrase = "kolme kuntaa ja yksi hanke"
    assert SetPasswordForm(user, {"new_password1": phrase, "new_password2": phrase}).is_valid()


def behind_proxy(client, email, password, forwarded_for, proxy="10.1.1.1"):
    """A request as the one trusted proxy forwards it: the proxy appends the address it saw."""
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(client, settings, caplog):
    """Red-team finding 5, both cases: honest clients behind the proxy are told apart (not all counted as
    the proxy), and a client that sends its own X-Forwarded-For cannot choose its address."""
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="eeva@example.fi")
    with caplog.at_level(logging.INFO, logger="security"):
        for _ in range(5):
            behind_proxy(client, "eeva@example.fi", "wrong", "203.0.113.5")
        # Client A is locked; client B, behind the same proxy, signs in.
        assert behind_proxy(client, "eeva@example.fi", PASSWORD, "203.0.113.5").status_code == 429
        assert behind_proxy(client, "eeva@example.fi", PASSWORD, "192.0.2.44").status_code == 302
        client.post(reverse("accounts:logout"))
        # A spoofer prepends a new address on each try: the proxy's entry still counts, and it is locked.
        for number in range(5):
            behind_proxy(client, "other@example.fi", "wrong", f"198.51.100.{number}, 203.0.113.9")
        assert (
            behind_proxy(client, "eeva@example.fi", PASSWORD, "198.51.100.77, 203.0.113.9").status_code == 429
        )
    messages = [record.getMessage() for record in caplog.records if record.name == "security"]
    assert "sign-in failed account=eeva@example.fi address=203.0.113.5" in messages
    assert "sign-in failed account=other@example.fi address=203.0.113.9" in messages
    assert not any("198.51.100" in message or "10.1.1.1" in message for message in messages)


def test_without_a_proxy_a_sent_x_forwarded_for_is_ignored(client, caplog):
    UserFactory(email="eeva@example.fi")
    with caplog.at_level(logging.INFO, logger="security"):
        behind_proxy(client, "eeva@example.fi", "wrong", "198.51.100.77", proxy="10.2.2.2")
    messages = [record.getMessage() for record in caplog.records if record.name == "security"]
    assert "sign-in failed account=eeva@example.fi address=10.2.2.2" in messages


def ask_reset(client, email, address):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mail_is_limited_per_account_and_per_address(client, mailoutbox):
    """Red-team finding 12: 15 requests sent 15 mails to an official in a second."""
    UserFactory(email="virkailija@example.fi")
    for number in range(3):
        assert ask_reset(client, "virkailija@example.fi", f"10.3.0.{number}").status_code == 302
    refused = ask_reset(client, "Virkailija@Example.fi", "10.3.0.9")
    assert refused.status_code == 429 and "Too many password links" in refused.content.decode()
    assert len(mailoutbox) == 3
    # Per address: ten requests, whatever the accounts, then no more from there.
    for number in range(7):
        ask_reset(client, f"nobody{number}@example.fi", "10.3.1.1")
    assert ask_reset(client, "someone@example.fi", "10.3.1.1").status_code == 302
    assert ask_reset(client, "someone-else@example.fi", "10.3.1.1").status_code == 302
    assert ask_reset(client, "third@example.fi", "10.3.1.1").status_code == 302
    assert ask_reset(client, "fourth@example.fi", "10.3.1.1").status_code == 429
