"""Preparing the draft through the form: saving as you go, and every kind of bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, BudgetLine, Status
from tests.conftest import squeezed

pytestmark = pytest.mark.django_db


def form_data(application, **overrides):
    call = application.call
    data = {
        "project_name": "Yhteinen tiedonhallinta",
        "summary": "Tiivistelmä",
        "objectives": "Tavoitteet",
        "actions": "Toimenpiteet",
        "schedule": "Aikataulu",
        "expected_results": "Tulokset",
        "dissemination": "Levitys",
        "emphasis_area": str(call.emphasis_areas.get(number=2).pk),
        "start_date": call.use_period_start.isoformat(),
        "end_date": call.use_period_end.isoformat(),
        "requested_amount": "85 000,00",
        "own_financing": "15000",
        "contact_name": "Eeva Espoo",
        "contact_email": "eeva@espoo.example.fi",
        "contact_phone": "+358 9 123",
        "budget-TOTAL_FORMS": "3",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "1000",
        "budget-0-category": "personnel",
        "budget-0-description": "Projektipäällikkö",
        "budget-0-amount": "60 000",
        "budget-1-category": "travel",
        "budget-1-description": "Matkat",
        "budget-1-amount": "40000,00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def lead_client(client, people):
    client.force_login(people["lead"])
    return client


def edit_url(application):
    return reverse("applications:edit", kwargs={"pk": application.pk})


def test_start_application_from_open_call(client, people, open_call, municipalities):
    client.force_login(people["lead"])
    url = reverse("applications:start", kwargs={"slug": open_call.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"lead": municipalities["lead"].pk, "project_name": "Uusi hanke"})
    application = Application.objects.get(project_name="Uusi hanke")
    assert response.status_code == 302
    assert response["Location"] == edit_url(application)
    assert application.lead == municipalities["lead"]
    assert application.participants.get().is_lead
    assert application.events.get().kind == "created"


def test_cannot_start_for_another_municipality(client, people, open_call, municipalities):
    client.force_login(people["lead"])
    url = reverse("applications:start", kwargs={"slug": open_call.slug})
    response = client.post(url, {"lead": municipalities["other"].pk, "project_name": "Ovela"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Application.objects.filter(project_name="Ovela").exists()


def test_cannot_start_in_closed_call(client, people):
    from tests.factories import CallFactory

    closed = CallFactory(closed=True)
    client.force_login(people["lead"])
    response = client.post(reverse("applications:start", kwargs={"slug": closed.slug}), {"project_name": "x"})
    assert response.status_code == 302
    assert not Application.objects.filter(project_name="x").exists()


def test_officials_and_anonymous_cannot_start(client, people, open_call):
    url = reverse("applications:start", kwargs={"slug": open_call.slug})
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(people["official"])
    assert client.get(url).status_code == 403


def test_valid_save_stores_everything(lead_client, draft):
    response = lead_client.post(edit_url(draft), form_data(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("85000.00")
    assert draft.own_financing == Decimal("15000.00")
    assert draft.emphasis_area.number == 2
    assert draft.draft_input == {}
    assert sorted(BudgetLine.objects.filter(application=draft).values_list("amount", flat=True)) == [
        Decimal("40000.00"),
        Decimal("60000.00"),
    ]


def test_another_member_of_lead_continues_the_draft(client, draft, people):
    client.force_login(people["lead2"])
    assert client.get(edit_url(draft)).status_code == 200
    client.post(edit_url(draft), form_data(draft, summary="Jatkettu"))
    draft.refresh_from_db()
    assert draft.summary == "Jatkettu"


BAD_INPUT = [
    ("requested_amount", "-5", "greater than or equal to 0"),
    ("requested_amount", "abc", "Enter a number"),
    ("requested_amount", "100,123", "no more than 2 decimal places"),
    ("own_financing", "1e5x", "Enter a number"),
    ("budget-0-amount", "-1", "greater than or equal to 0"),
    ("budget-0-amount", "12.345", "no more than 2 decimal places"),
    ("budget-0-category", "bribes", "Select a valid choice"),
    ("start_date", "2000-01-01", "cannot start before the use period"),
    ("end_date", "2099-12-31", "must end by the end of the use period"),
    ("start_date", "31.2.2030", "Enter a valid date"),
    ("emphasis_area", "999999", "Select a valid choice"),
    ("project_name", "x" * 251, "at most 250 characters"),
    ("summary", "x" * 3001, "at most 3000 characters"),
    ("objectives", "x" * 5001, "at most 5000 characters"),
    ("contact_email", "not-an-email", "Enter a valid email address"),
    ("project_name", "", "This field is required"),
    ("requested_amount", "99 999 999 999", "no more than 10 digits before the decimal point"),
]


@pytest.mark.parametrize("field, value, message", BAD_INPUT)
def test_bad_input_is_refused_next_to_field_and_nothing_else_is_lost(
    lead_client, draft, field, value, message
):
    data = form_data(draft, **{field: value})
    response = lead_client.post(edit_url(draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    draft.refresh_from_db()
    # What was typed is kept for correction, including the bad value itself ...
    assert draft.draft_input[field] == [value]
    # ... and the valid fields were saved.
    if field != "contact_email":
        assert draft.contact_email == "eeva@espoo.example.fi"
    if field != "summary":
        assert draft.summary == "Tiivistelmä"
    # Opening the page again shows the typed value with its error.
    again = lead_client.get(edit_url(draft)).content.decode()
    assert message in again


def test_end_before_start(lead_client, draft):
    call = draft.call
    data = form_data(
        draft,
        start_date=(call.use_period_start + dt.timedelta(days=10)).isoformat(),
        end_date=(call.use_period_start + dt.timedelta(days=5)).isoformat(),
    )
    html = lead_client.post(edit_url(draft), data).content.decode()
    assert "cannot end before it starts" in html
    draft.refresh_from_db()
    assert draft.end_date is None


def test_requested_over_max_share_is_refused(lead_client, draft):
    html = lead_client.post(
        edit_url(draft), form_data(draft, requested_amount="85000,01", own_financing="14999,99")
    ).content.decode()
    assert "at most 85 % of the eligible costs, that is 85,000\xa0€" in html
    draft.refresh_from_db()
    assert draft.requested_amount is None


def test_unbalanced_financing_is_refused(lead_client, draft):
    html = lead_client.post(edit_url(draft), form_data(draft, own_financing="10000")).content.decode()
    assert "must add up to the eligible costs" in html


def test_correcting_clears_the_kept_input(lead_client, draft):
    lead_client.post(edit_url(draft), form_data(draft, requested_amount="abc"))
    draft.refresh_from_db()
    assert draft.draft_input
    lead_client.post(edit_url(draft), form_data(draft))
    draft.refresh_from_db()
    assert draft.draft_input == {}
    assert draft.requested_amount == Decimal("85000.00")


def test_deleting_a_budget_row(lead_client, draft):
    lead_client.post(edit_url(draft), form_data(draft))
    data = form_data(draft, **{"budget-1-DELETE": "on", "requested_amount": "51000", "own_financing": "9000"})
    lead_client.post(edit_url(draft), data)
    assert list(BudgetLine.objects.filter(application=draft).values_list("description", flat=True)) == [
        "Projektipäällikkö"
    ]


def test_edit_page_shows_computed_figures(lead_client, draft):
    lead_client.post(edit_url(draft), form_data(draft))
    html = lead_client.get(edit_url(draft)).content.decode()
    assert "100,000\xa0€" in html
    assert "85,000\xa0€" in html


def test_crafted_post_cannot_edit_submitted_application(lead_client, ready, people):
    services.submit_application(application=ready, by=people["lead"])
    before = Application.objects.get(pk=ready.pk)
    response = lead_client.post(edit_url(ready), form_data(ready, project_name="Muutettu jälkikäteen"))
    assert response.status_code == 302
    after = Application.objects.get(pk=ready.pk)
    assert after.project_name == before.project_name
    assert after.updated_at == before.updated_at
    assert after.status == Status.SUBMITTED
    # The edit page itself is the workflow's `edit` step: its reason, on the case's page.
    page = lead_client.get(edit_url(ready), follow=True)
    assert page.redirect_chain == [(ready.get_absolute_url(), 302)]
    assert "The application has been submitted and can no longer be changed." in page.content.decode()


def test_partner_cannot_edit(client, draft, people):
    client.force_login(people["partner"])
    assert client.get(edit_url(draft)).status_code == 403
    assert client.post(edit_url(draft), form_data(draft, project_name="Kaapattu")).status_code == 403
    draft.refresh_from_db()
    assert draft.project_name == "Yhteinen tiedonhallinta"


def test_a_budget_error_names_its_row_and_the_totals_still_match_the_rows_shown(lead_client, draft):
    """The review's case: the third row has no category and the grant is above 85 %. The summary names
    'Budget, row 3', the total counts the three amounts on the page, and the 85 % check shows at once."""
    data = form_data(
        draft,
        **{
            "budget-2-category": "",
            "budget-2-description": "Ohjelmisto",
            "budget-2-amount": "5 000",
            "requested_amount": "100000",
            "own_financing": "5000",
        },
    )
    html = lead_client.post(edit_url(draft), data).content.decode()
    assert "Budget, row 3, cost category: This field is required." in html
    assert '<output id="budget-total" for="application-form">105,000\xa0€</output>' in squeezed(html)
    assert "at most 85 % of the eligible costs, that is 89,250\xa0€" in html


def test_fields_needed_for_submission_are_marked_so(lead_client, draft):
    html = lead_client.get(edit_url(draft)).content.decode()
    assert html.count("(required to submit)") == 13  # 6 texts, 2 contacts, emphasis area, 2 dates, 2 amounts
    assert html.count("(required)") == 1  # the project name, needed to save at all
    assert "Choose" in html and "---------" not in html


def test_two_people_saving_the_same_draft_neither_overwrites_the_other_unseen(client, draft, people):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(people["lead"])
    second.force_login(people["lead2"])
    opened = first.get(edit_url(draft)).context["version"]
    assert second.get(edit_url(draft)).context["version"] == opened
    # The colleague saves first.
    second.post(edit_url(draft), form_data(draft, summary="Erkin tiivistelmä", version=opened))
    draft.refresh_from_db()
    assert draft.summary == "Erkin tiivistelmä"
    # The first save from the older form is refused: nothing saved, both texts on the page.
    response = first.post(edit_url(draft), form_data(draft, summary="Eevan tiivistelmä", version=opened))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this draft after you opened it." in html
    assert "Eevan tiivistelmä" in html and "Erkin tiivistelmä" in html
    draft.refresh_from_db()
    assert draft.summary == "Erkin tiivistelmä"
    # Having seen both, the next save (with the page's new version) goes through.
    merged = form_data(draft, summary="Eevan ja Erkin tiivistelmä", version=response.context["version"])
    assert first.post(edit_url(draft), merged).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Eevan ja Erkin tiivistelmä"
