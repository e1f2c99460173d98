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


def test_five_failures_lock_the_account_even_against_the_right_password(client):
    UserFactory(email="eeva@example.fi")
    for attempt in range(5):
        response = sign_in(client, "eeva@example.fi", f"guess-{attempt}", address=f"10.0.1.{attempt}")
    assert response.status_code == 429
    response = sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.2.1")
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "Sign-in temporarily blocked" in html
    assert "Try again in 15 minutes." in html


def test_the_account_count_ignores_letter_case_and_spaces_in_the_address(client):
    UserFactory(email="eeva@example.fi")
    for variant in [
        "eeva@example.fi",
        "EEVA@example.fi",
        " Eeva@Example.FI",
        "eeva@EXAMPLE.fi ",
        "Eeva@example.fi",
    ]:
        sign_in(client, variant, "wrong", address="10.0.3.1")
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.9.9.9").status_code == 429


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
    assert sign_in(client, "eeva@example.fi", PASSWORD, address="10.0.6.2").status_code == 429
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
