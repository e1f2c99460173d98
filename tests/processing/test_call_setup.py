"""Issue 16, point 9: officials run calls in their own pages. A draft call with its texts in Finnish and
Swedish, emphasis areas, criteria and weights, contacts, legal basis and terms; a preview that only the
ministry sees; opening it through the workflow; ending a running application period early, with the
reason shown and the municipalities with a draft told."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications import services, workflow
from applications.documents import parts
from applications.exceptions import WorkflowError
from applications.models import CaseEvent, EventKind
from grants.models import Call, CallStatus
from tests.conftest import deliver_mail, delivered
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def rows(prefix, items):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items) + 1),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for number, item in enumerate(items):
        data |= {f"{prefix}-{number}-{name}": value for name, value in item.items()}
    return data


def call_form(programme, **changes):
    closes = timezone.localtime() + dt.timedelta(days=40)
    data = {
        "programme": str(programme.pk),
        "year": "2027",
        "name_fi": "Kuntien digitalisaation kannustinjärjestelmä 2027",
        "name_sv": "Incitamentsystemet för kommunernas digitalisering 2027",
        "name_en": "",
        "purpose_fi": "Avustetaan kuntien yhteisiä digitalisaatiohankkeita.",
        "purpose_sv": "Understöd beviljas för kommunernas gemensamma digitaliseringsprojekt.",
        "rules_fi": "",
        "rules_sv": "",
        "legal_basis_fi": "Valtionavustuslaki (688/2001).",
        "legal_basis_sv": "Statsunderstödslagen (688/2001).",
        "terms_fi": "Hankkeen tulokset julkaistaan avoimena lähdekoodina.",
        "terms_sv": "Projektets resultat publiceras som öppen källkod.",
        "appropriation": "5 000 000",
        "budget_item": "28.90.32",
        "opens_at": "",
        "closes_at": closes.strftime("%Y-%m-%dT16:15"),
        "use_period_end": (closes.date() + dt.timedelta(days=700)).isoformat(),
        "max_share_percent": "85",
        "min_municipalities": "2",
        "case_number_prefix": "VM27",
        "final_report_months": "2",
        **rows("areas", [{"name_fi": "Tiedonhallinta", "name_sv": "Informationshantering"}]),
        **rows(
            "criteria",
            [
                {"name_fi": "Vaikuttavuus", "name_sv": "Effekt", "weight": "2"},
                {"name_fi": "Yleinen merkitys", "name_sv": "Allmän betydelse", "weight": "1"},
            ],
        ),
        **rows(
            "contacts",
            [
                {
                    "name": "Maija Virtanen",
                    "title_fi": "erityisasiantuntija",
                    "title_sv": "specialsakkunnig",
                    "email": "maija.virtanen@example.fi",
                }
            ],
        ),
    }
    return data | changes


@pytest.fixture
def official(client, people):
    client.force_login(people["official"])
    return client


def test_an_official_prepares_a_draft_that_only_the_ministry_sees(official, client, people):
    programme = ProgrammeFactory()
    response = official.post(reverse("processing:call-create"), call_form(programme, save_and_preview="1"))
    call = Call.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "processing:call-preview", args=[call.slug]
    )
    assert call.status == CallStatus.DRAFT and call.opens_at is None
    assert [c.weight for c in call.evaluation_criteria.order_by("order")] == [2, 1]
    assert call.emphasis_areas.get().name_sv == "Informationshantering"
    assert call.contacts.get().email == "maija.virtanen@example.fi"
    assert timezone.localtime(call.closes_at).strftime("%H.%M") == "16.15"  # Helsinki time as typed

    preview = official.get(response.url).content.decode()
    assert "Preview: this draft call is not published" in preview
    # Its own legal basis and terms, as applicants will read them (English falls back to Finnish).
    assert "Valtionavustuslaki (688/2001)." in preview
    assert "Hankkeen tulokset julkaistaan avoimena lähdekoodina." in preview
    assert "Start an application" not in preview
    # Nobody outside the ministry finds it: not on the home page, not at its address, not in the API.
    for user in (None, people["lead"]):
        client.logout()
        if user:
            client.force_login(user)
        assert call.name_fi not in client.get(reverse("grants:home")).content.decode()
        assert client.get(reverse("grants:call-detail", args=[call.slug])).status_code == 404
        assert client.get(reverse("processing:call-preview", args=[call.slug])).status_code == 404
    assert client.get(reverse("applications:start", args=[call.slug])).status_code == 404
    assert call.slug not in client.get("/api/v1/calls/").content.decode()


def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(official):
    programme = ProgrammeFactory()
    data = call_form(programme, name_sv="", appropriation="paljon")
    data["criteria-1-name_sv"] = ""
    response = official.post(reverse("processing:call-create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_name_sv_error1"' in page and 'id="id_appropriation_error1"' in page
    assert 'id="id_criteria-1-name_sv_error1"' in page
    assert "Evaluation criteria, row 2, name in Swedish: This field is required." in page
    assert "paljon" in page  # the input comes back as typed
    assert not Call.objects.exists()


def test_opening_needs_what_applicants_need_and_then_publishes_the_call(official, client, people):
    programme = ProgrammeFactory()
    data = {key: value for key, value in call_form(programme).items() if not key.startswith("contacts-")}
    official.post(reverse("processing:call-create"), data | rows("contacts", []))
    call = Call.objects.get()  # a draft may be saved unfinished
    confirm = official.get(reverse("processing:call-open", args=[call.slug])).content.decode()
    assert "it needs at least one contact person" in confirm
    response = official.post(reverse("processing:call-open", args=[call.slug]), {"confirm": "1"})
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT  # refused, nothing changed

    official.post(reverse("processing:call-edit", args=[call.slug]), call_form(programme))
    response = official.post(reverse("processing:call-open", args=[call.slug]), {"confirm": "1"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.published_by == people["official"]
    assert call.is_open() and call.opens_at == call.published_at
    # Published: public, open to applicants, and no longer edited here.
    client.logout()
    assert client.get(reverse("grants:call-detail", args=[call.slug])).status_code == 200
    client.force_login(people["lead"])
    assert client.get(reverse("applications:start", args=[call.slug])).status_code == 200
    client.force_login(people["official"])
    response = client.get(reverse("processing:call-edit", args=[call.slug]), follow=True)
    assert "can no longer be changed here" in response.content.decode()
    with pytest.raises(WorkflowError):
        services.save_call(
            call=call, values={}, emphasis_areas=[], criteria=[], contacts=[], by=people["official"]
        )


def test_a_call_opening_later_waits_for_its_time(official, people):
    programme = ProgrammeFactory()
    opens = timezone.localtime() + dt.timedelta(days=3)
    official.post(
        reverse("processing:call-create"), call_form(programme, opens_at=opens.strftime("%Y-%m-%dT09:00"))
    )
    call = Call.objects.get()
    services.open_call(call=call, by=people["official"])
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and not call.is_open()
    assert timezone.localtime(call.opens_at).hour == 9
    assert call.is_open(call.opens_at + dt.timedelta(minutes=1))


def test_only_officials_prepare_calls(client, people, ministry_people):
    client.force_login(ministry_people["decision_maker"])
    assert client.get(reverse("processing:call-create")).status_code == 403
    client.force_login(ministry_people["reviewer"])
    assert client.get(reverse("processing:call-create")).status_code == 404
    client.force_login(people["lead"])
    assert client.get(reverse("processing:call-create")).status_code == 404


def test_ending_the_period_early_asks_a_reason_tells_the_drafts_and_says_why(official, client, draft, people):
    call = draft.call
    url = reverse("processing:call-close", args=[call.slug])
    page = official.get(url).content.decode()
    assert "1 draft can then no longer be submitted" in page
    response = official.post(url, {"confirm": "1", "reason": ""})
    assert response.status_code == 200 and 'id="id_reason_error1"' in response.content.decode()
    call.refresh_from_db()
    assert call.is_open()

    official.post(url, {"confirm": "1", "reason": "Haku avattiin virheellisesti."})
    call.refresh_from_db()
    assert not call.is_open() and call.closed_early_reason == "Haku avattiin virheellisesti."
    event = CaseEvent.objects.get(application=draft, kind=EventKind.PERIOD_ENDED_EARLY)
    assert event.note == "Haku avattiin virheellisesti."
    deliver_mail()
    told = delivered("period-ended-early")
    assert sorted(message.to[0] for message in told) == ["lead2@example.fi", "lead@example.fi"]
    assert "Haku avattiin virheellisesti." in told[0].body
    client.logout()
    with translation.override("fi"):
        public = client.get(reverse("grants:call-detail", args=[call.slug])).content.decode()
    assert "Haku avattiin virheellisesti." in public
    # The draft can no longer be submitted, and the period cannot be ended twice.
    assert "The call is open for applications" in workflow.refusal(draft, "submit", people["lead"])
    with pytest.raises(WorkflowError):
        services.close_call(call=call, reason="Uudelleen", by=people["official"])


def test_the_calls_own_legal_basis_and_terms_go_into_its_decisions(official):
    programme = ProgrammeFactory(legal_basis_fi="Ohjelman säädökset.")
    official.post(reverse("processing:call-create"), call_form(programme))
    call = Call.objects.get()
    with translation.override("sv"):
        terms = parts.general_terms(call, "sv").paragraphs
        basis = parts.legal_basis(call, "sv").paragraphs
    assert terms[-1].endswith("Projektets resultat publiceras som öppen källkod.")
    assert basis[0] == "Statsunderstödslagen (688/2001)."
    call.legal_basis_fi = call.legal_basis_sv = ""
    assert parts.legal_basis(call, "fi").paragraphs[0] == "Ohjelman säädökset."


def test_two_officials_editing_one_draft_do_not_overwrite_each_other_unseen(official, client, people):
    import re

    programme = ProgrammeFactory()
    official.post(reverse("processing:call-create"), call_form(programme))
    call = Call.objects.get()
    url = reverse("processing:call-edit", args=[call.slug])
    opened = re.search(r'name="version" value="(\w+)"', official.get(url).content.decode()).group(1)
    # Another official saves first.
    services.save_call(
        call=call,
        values={"purpose_fi": "Toisen virkailijan teksti."},
        emphasis_areas=[{"name_fi": "Alue", "name_sv": "Område", "name_en": ""}],
        criteria=[],
        contacts=[],
        by=people["official"],
    )
    mine = call_form(programme, purpose_fi="Oma tekstini.", version=opened)
    response = official.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200 and "Another official saved this draft call" in page
    assert "Oma tekstini." in page
    call.refresh_from_db()
    assert call.purpose_fi == "Toisen virkailijan teksti."
    # Saving again after comparing is a choice: the form now carries the saved version.
    again = re.search(r'name="version" value="(\w+)"', page).group(1)
    official.post(url, mine | {"version": again})
    call.refresh_from_db()
    assert call.purpose_fi == "Oma tekstini."
