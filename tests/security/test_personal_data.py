"""Personal data: a user downloads what the system holds about them; a departed user's data is removed by
pseudonymisation that keeps case journals and decisions intact; the privacy notice is public in fi and sv."""

import json

import pytest
from axes.models import AccessLog
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, User
from applications.models import CaseEvent

pytestmark = pytest.mark.django_db


def real_sign_in(email, address="10.1.1.1"):
    browser = Client()
    response = browser.post(
        reverse("accounts:login"),
        {"username": email, "password": "a-good-test-password"},
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302
    return browser


def test_a_user_downloads_their_own_data(submitted_case, people):
    lead = real_sign_in("lead@example.fi")
    response = lead.get(reverse("accounts:personal-data"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{people["lead"].pk}.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "lead@example.fi"
    assert data["account"]["full_name"] == "Eeva Espoo"
    assert [org["role"] for org in data["organisations"]] == ["Municipality staff"]
    assert data["sign_ins"][0]["address"] == "10.1.1.1" and data["sign_ins"][0]["succeeded"] is True
    kinds = {record["record"] for record in data["records_naming_you"]}
    assert "applications.CaseEvent" in kinds
    own_events = CaseEvent.objects.filter(actor=people["lead"]).count()
    assert (
        sum(record["record"] == "applications.CaseEvent" for record in data["records_naming_you"])
        == own_events
    )
    assert "partner@example.fi" not in response.content.decode()


def test_the_export_needs_sign_in(client):
    response = client.get(reverse("accounts:personal-data"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.fixture
def admin_client(db):
    superuser = User.objects.create_superuser("admin@example.fi", "a-good-test-password", full_name="Admin")
    client = Client()
    client.force_login(superuser)
    return client


def remove(admin_client, *users, confirmed=True):
    data = {"action": "remove_personal_data", ACTION_CHECKBOX_NAME: [user.pk for user in users]}
    if confirmed:
        data["confirmed"] = "yes"
    return admin_client.post(reverse("admin:accounts_user_changelist"), data)


def test_removal_asks_for_confirmation_first(admin_client, people):
    page = remove(admin_client, people["lead"], confirmed=False)
    assert page.status_code == 200
    assert "This cannot be undone" in page.content.decode()
    people["lead"].refresh_from_db()
    assert people["lead"].email == "lead@example.fi"


def test_a_departed_users_data_is_removed_but_the_case_records_stay(admin_client, submitted_case, people):
    lead_user = people["lead"]
    lead = real_sign_in("lead@example.fi")
    events_before = list(CaseEvent.objects.filter(actor=lead_user).values_list("pk", flat=True))
    assert events_before

    response = remove(admin_client, lead_user)
    assert response.status_code == 302

    lead_user.refresh_from_db()
    assert lead_user.email == f"user-{lead_user.pk}@removed.invalid"
    assert lead_user.full_name == ""
    assert not lead_user.is_active and not lead_user.has_usable_password()
    assert not Membership.objects.filter(user=lead_user).exists()
    assert not AccessLog.objects.filter(username="lead@example.fi").exists()
    # The journal still points to the same account, now shown as a removed user.
    assert list(CaseEvent.objects.filter(actor=lead_user).values_list("pk", flat=True)) == events_before
    official = Client()
    official.force_login(people["official"])
    case_page = official.get(reverse("processing:case", kwargs={"pk": submitted_case.pk})).content.decode()
    assert f"Removed user {lead_user.pk}" in case_page
    assert "(Eeva Espoo)" not in case_page  # journal lines name the actor in brackets
    with translation.override("fi"):
        assert lead_user.display_name == f"Poistettu käyttäjä {lead_user.pk}"
    # The open session has ended, and the old password no longer signs in.
    assert lead.get(reverse("applications:my-cases")).status_code == 302
    failed = Client().post(
        reverse("accounts:login"), {"username": "lead@example.fi", "password": "a-good-test-password"}
    )
    assert failed.status_code == 200


def test_only_a_superuser_removes_personal_data_and_never_their_own(admin_client, people):
    official = Client()
    official.force_login(people["official"])
    data = {"action": "remove_personal_data", ACTION_CHECKBOX_NAME: [people["lead"].pk], "confirmed": "yes"}
    official.post(reverse("admin:accounts_user_changelist"), data)
    people["lead"].refresh_from_db()
    assert people["lead"].email == "lead@example.fi"

    admin_user = User.objects.get(email="admin@example.fi")
    remove(admin_client, admin_user)
    admin_user.refresh_from_db()
    assert admin_user.email == "admin@example.fi" and admin_user.is_active


def test_removal_is_idempotent(people):
    from accounts.personal_data import pseudonymise

    first = pseudonymise(people["lead"], by=None)
    second = pseudonymise(people["lead"], by=None)
    assert first.email == second.email == f"user-{people['lead'].pk}@removed.invalid"


@pytest.mark.parametrize(
    "language, heading, phrase",
    [
        ("fi", "Tietosuojaseloste", "Valtiovarainministeriö"),
        ("sv", "Dataskyddsbeskrivning", "Finansministeriet"),
        ("en", "Privacy notice", "Ministry of Finance"),
    ],
)
def test_the_privacy_notice_is_public_in_each_language(client, language, heading, phrase):
    with translation.override(language):
        url = reverse("grants:privacy")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html and phrase in html
    assert f'<html lang="{language}">' in html
