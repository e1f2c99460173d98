"""Requests no browser would send still get a clear answer, never a server error, and change nothing."""

import pytest
from django.urls import reverse

from applications.models import Application, BudgetLine
from tests.applications.test_editing import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("accounts:login", {"username": "a\x00@example.fi", "password": "x"}),
        ("accounts:password_reset", {"email": "a\x00@example.fi"}),
    ],
)
def test_null_characters_in_public_forms_get_400(client, db, url_name, data):
    response = client.post(reverse(url_name), data)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_null_characters_in_query_string_get_400(client, published_2022):
    response = client.get(reverse("grants:home"), {"q": "x\x00y"})
    assert response.status_code == 400


def test_null_characters_in_application_forms_change_nothing(client, draft, people):
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    response = client.post(edit, form_data(draft, project_name="Uusi\x00nimi"))
    assert response.status_code == 400
    participants = reverse("applications:participants", kwargs={"pk": draft.pk})
    assert client.post(participants, {"municipality": "Esp\x00oo"}).status_code == 400
    draft.refresh_from_db()
    assert draft.project_name == "Yhteinen tiedonhallinta"
    assert draft.draft_input == {}
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize("total_forms", ["abc", "5000", "-1", ""])
def test_tampered_budget_bookkeeping_keeps_the_saved_budget(client, draft, people, total_forms):
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    client.post(edit, form_data(draft))
    assert BudgetLine.objects.filter(application=draft).count() == 2
    response = client.post(
        edit, form_data(draft, summary="Uusi tiivistelmä", **{"budget-TOTAL_FORMS": total_forms})
    )
    assert response.status_code in (200, 302)
    assert BudgetLine.objects.filter(application=draft).count() == 2
    draft.refresh_from_db()
    assert draft.summary == "Uusi tiivistelmä"
    assert not any(key.startswith("budget-") for key in draft.draft_input)
    page = client.get(edit)
    assert page.status_code == 200
    assert "Projektipäällikkö" in page.content.decode()
    # The page the applicant gets back can be saved again normally.
    assert client.post(edit, form_data(draft)).status_code == 302


def test_missing_management_form(client, draft, people):
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    data = {k: v for k, v in form_data(draft).items() if not k.startswith("budget-")}
    response = client.post(edit, data)
    assert response.status_code in (200, 302)
    assert client.get(edit).status_code == 200


def test_emphasis_area_of_another_call_is_refused(client, draft, people):
    from tests.factories import CallFactory

    other_area = CallFactory().emphasis_areas.first()
    client.force_login(people["lead"])
    edit = reverse("applications:edit", kwargs={"pk": draft.pk})
    response = client.post(edit, form_data(draft, emphasis_area=str(other_area.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert Application.objects.get(pk=draft.pk).emphasis_area_id is None


def test_non_numeric_ids_in_urls_are_404(client, people):
    client.force_login(people["lead"])
    assert client.get("/en/applications/abc/").status_code == 404
    assert client.get("/en/applications/99999999999999999999999/").status_code == 404
