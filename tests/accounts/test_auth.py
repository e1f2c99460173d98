"""Signing in and out, password reset by email, and the user's own details."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_lands_in_my_cases_in_preferred_language(client):
    UserFactory(email="karin@example.fi", preferred_language="sv")
    response = client.post(
        reverse("accounts:login"), {"username": "Karin@Example.fi ", "password": "a-good-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/start/"
    with translation.override("sv"):
        assert client.get(response["Location"])["Location"] == reverse("applications:my-cases")


def test_wrong_password_gives_message_and_keeps_email(client):
    UserFactory(email="eeva@example.fi")
    response = client.post(reverse("accounts:login"), {"username": "eeva@example.fi", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct email address and password" in html
    assert 'value="eeva@example.fi"' in html
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client):
    UserFactory(email="gone@example.fi", is_active=False)
    client.post(
        reverse("accounts:login"), {"username": "gone@example.fi", "password": "a-good-test-password"}
    )
    assert "_auth_user_id" not in client.session


def test_next_parameter_is_followed_only_on_this_site(client):
    UserFactory(email="eeva@example.fi")
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example.com/",
        {
            "username": "eeva@example.fi",
            "password": "a-good-test-password",
            "next": "https://evil.example.com/",
        },
    )
    assert "evil" not in response["Location"]


def test_sign_out_is_post_only(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_in_preferred_language(client):
    user = UserFactory(email="karin@example.fi", preferred_language="sv")
    response = client.post(reverse("accounts:password_reset"), {"email": "karin@example.fi"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "/sv/" in link
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Uusi-salasana-2026!", "new_password2": "Uusi-salasana-2026!"})
    user.refresh_from_db()
    assert user.check_password("Uusi-salasana-2026!")


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.fi"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_weak_new_password_is_refused(client):
    UserFactory(email="eeva@example.fi")
    client.post(reverse("accounts:password_reset"), {"email": "eeva@example.fi"})
    path = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "too short" in response.content.decode() or "too common" in response.content.decode()


def test_profile_changes_name_and_language_but_not_memberships(client, municipalities):
    user = UserFactory(full_name="Eeva")
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Eeva Esimerkki",
            "preferred_language": "sv",
            "organisation": municipalities["lead"].pk,
            "is_staff": "on",
            "role": "official",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sv/")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language, user.is_staff) == ("Eeva Esimerkki", "sv", False)
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"full_name": "", "preferred_language": "fi"}, "This field is required"),
        ({"full_name": "x" * 201, "preferred_language": "fi"}, "at most 200 characters"),
        ({"full_name": "Eeva", "preferred_language": "de"}, "Select a valid choice"),
    ],
)
def test_profile_bad_input(client, data, message):
    user = UserFactory(full_name="Eeva", preferred_language="fi")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Eeva", "fi")


def test_public_pages_need_no_sign_in(client, published_2022):
    for name in ["grants:home", "accounts:login", "accounts:password_reset"]:
        assert client.get(reverse(name)).status_code == 200
    assert (
        client.get(
            reverse("opendata:call-results", kwargs={"slug": "kuntien-digitalisaatio-2022"})
        ).status_code
        == 200
    )
    assert client.get(reverse("admin:login")).status_code == 200
