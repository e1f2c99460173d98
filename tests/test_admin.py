"""Every model has an admin page that works; the case journal cannot be edited there."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from applications.models import CaseEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "grants", "applications")


@pytest.fixture
def admin_client(client, published_2022):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_model_is_registered():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


def test_changelists_and_change_pages_load(admin_client):
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            opts = model._meta
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            assert admin_client.get(changelist).status_code == 200, changelist
            assert admin_client.get(changelist, {"q": "Espoo"}).status_code == 200, changelist
            obj = model.objects.first()
            if obj is not None:
                change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                assert admin_client.get(change).status_code == 200, change


def test_case_journal_is_read_only(admin_client):
    event = CaseEvent.objects.first()
    assert admin_client.get(reverse("admin:applications_caseevent_add")).status_code == 403
    delete = reverse("admin:applications_caseevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:applications_caseevent_change", args=[event.pk])
    admin_client.post(change, {"note": "rewritten"})
    event.refresh_from_db()
    assert event.note.startswith("Imported")


def test_anonymous_cannot_reach_admin(client, db):
    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_admin_speaks_finnish_and_swedish_and_adds_no_decisions(admin_client):
    finnish = admin_client.get("/fi/admin/").content.decode()
    assert "Kuntien digitalisaatioavustukset: ylläpito" in finnish
    assert "Kirjautumisen suojaus" in finnish and "Toinen tunnistustekijä: todennussovellukset" in finnish
    assert "Access attempts" not in finnish and "TOTP devices" not in finnish and "OTP_TOTP" not in finnish
    swedish = admin_client.get("/sv/admin/").content.decode()
    assert "Inloggningsskydd" in swedish and "Bakgrundsuppgifter" in swedish
    # Decisions come only from the workflow: no "add" in the admin, not even for a superuser.
    assert admin_client.get(reverse("admin:applications_decision_add")).status_code == 403


def test_amounts_read_as_euros_and_a_call_added_here_starts_as_a_draft(admin_client, published_2022):
    """The review saw raw decimals ("5000000,00") in the admin's lists; a call is published by an official
    through the workflow, so one added in the admin is a draft."""
    calls = admin_client.get("/fi/admin/grants/call/").content.decode()
    assert "10\xa0000\xa0000\xa0€" in calls and "10000000,00" not in calls
    decisions = admin_client.get("/fi/admin/applications/decision/").content.decode()
    assert "280\xa0500\xa0€" in decisions
    from grants.models import Call, CallStatus

    call = Call.objects.get(pk=published_2022.pk)
    call.pk, call.slug, call.year = None, "admin-copy", 2099
    from grants.admin import CallAdmin

    CallAdmin(Call, admin.site).save_model(None, call, None, change=False)
    assert Call.objects.get(slug="admin-copy").status == CallStatus.DRAFT
