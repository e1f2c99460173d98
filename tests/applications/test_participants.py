"""Adding municipalities, their shares, and a partner confirming or declining in the system."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment, CaseEvent, EventKind, Participant, ParticipationStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def participants_url(application):
    return reverse("applications:participants", kwargs={"pk": application.pk})


@pytest.fixture
def lead_client(client, people):
    client.force_login(people["lead"])
    return client


@pytest.mark.parametrize("typed", ["235", "235 Kauniainen – Grankulla", "Grankulla", "kauniainen", "  235  "])
def test_add_by_code_or_either_name(lead_client, draft, typed, municipalities):
    response = lead_client.post(participants_url(draft), {"municipality": typed, "share_percent": "10"})
    assert response.status_code == 302
    participant = Participant.objects.get(application=draft, organisation=municipalities["partner2"])
    assert participant.status == ParticipationStatus.PENDING
    assert participant.share_percent == Decimal("10")
    assert CaseEvent.objects.filter(application=draft, kind=EventKind.PARTICIPANT_ADDED).count() == 2


@pytest.mark.parametrize(
    "typed, share, message",
    [
        ("999", "", "No municipality has this name or code"),
        ("Atlantis", "", "No municipality has this name or code"),
        ("", "", "This field is required"),
        ("049", "", "The lead applicant is already part"),
        ("Espoo", "", "The lead applicant is already part"),
        ("Vantaa", "", "already takes part in the application"),
        ("235", "101", "less than or equal to 100"),
        ("235", "-1", "greater than or equal to 0"),
        ("235", "ten", "Enter a number"),
        ("235", "10.123", "no more than 2 decimal places"),
        ("x" * 200, "", "Type at most 120 characters"),
    ],
)
def test_bad_participant_input(lead_client, draft, typed, share, message):
    before = Participant.objects.filter(application=draft).count()
    response = lead_client.post(participants_url(draft), {"municipality": typed, "share_percent": share})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert f'value="{typed}"' in html or not typed or len(typed) > 120
    assert Participant.objects.filter(application=draft).count() == before


def test_ministry_is_not_a_municipality(lead_client, draft, ministry):
    response = lead_client.post(participants_url(draft), {"municipality": ministry.name_fi})
    assert "No municipality has this name or code" in response.content.decode()


def test_page_offers_every_municipality_in_a_list(lead_client, draft, municipalities):
    html = lead_client.get(participants_url(draft)).content.decode()
    assert '<datalist id="municipality-options">' in html
    assert 'value="235 Kauniainen – Grankulla"' in html
    assert 'list="municipality-options"' in html


def test_shares_must_add_up_to_100(lead_client, draft):
    lead, partner = Participant.objects.filter(application=draft).order_by("role")
    url = reverse("applications:shares", kwargs={"pk": draft.pk})
    response = lead_client.post(url, {f"share_{lead.pk}": "60", f"share_{partner.pk}": "30"})
    assert response.status_code == 200
    assert "add up to 90 %" in response.content.decode()
    lead.refresh_from_db()
    assert lead.share_percent == Decimal("100")
    lead_client.post(url, {f"share_{lead.pk}": "60,5", f"share_{partner.pk}": "39,5"})
    lead.refresh_from_db()
    partner.refresh_from_db()
    assert (lead.share_percent, partner.share_percent) == (Decimal("60.5"), Decimal("39.5"))


def test_shares_reject_bad_numbers(lead_client, draft):
    lead, partner = Participant.objects.filter(application=draft).order_by("role")
    url = reverse("applications:shares", kwargs={"pk": draft.pk})
    response = lead_client.post(url, {f"share_{lead.pk}": "abc", f"share_{partner.pk}": ""})
    html = response.content.decode()
    assert "Enter a number" in html and "This field is required" in html


def test_remove_partner_but_not_lead(lead_client, draft, municipalities):
    partner = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    lead = Participant.objects.get(application=draft, role="lead")
    url = reverse("applications:remove-participant", kwargs={"pk": draft.pk, "participant_pk": lead.pk})
    response = lead_client.post(url, follow=True)
    assert "The lead applicant cannot be removed" in response.content.decode()
    url = reverse("applications:remove-participant", kwargs={"pk": draft.pk, "participant_pk": partner.pk})
    lead_client.post(url)
    assert not Participant.objects.filter(pk=partner.pk).exists()
    assert CaseEvent.objects.filter(application=draft, kind=EventKind.PARTICIPANT_REMOVED).exists()


def test_remove_unknown_participant_is_404(lead_client, draft, ready):
    other_participant = Participant.objects.exclude(application=draft).first()
    url = reverse("applications:remove-participant", kwargs={"pk": draft.pk, "participant_pk": 999999})
    assert lead_client.post(url).status_code == 404
    if other_participant:
        url = reverse(
            "applications:remove-participant", kwargs={"pk": draft.pk, "participant_pk": other_participant.pk}
        )
        assert lead_client.post(url).status_code == 404


def test_partner_sees_read_only_and_confirms_with_document(client, draft, people, municipalities):
    client.force_login(people["partner"])
    detail = client.get(draft.get_absolute_url())
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Send the answer" in html
    assert reverse("applications:edit", kwargs={"pk": draft.pk}) not in html
    document = SimpleUploadedFile("Valtuuston päätös.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("applications:participation", kwargs={"pk": draft.pk}),
        {"answer": "confirm", "commitment": document},
    )
    assert response.status_code == 302
    participant = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    assert participant.status == ParticipationStatus.CONFIRMED
    assert participant.responded_by == people["partner"]
    assert participant.responded_at is not None
    attachment = Attachment.objects.get(participant=participant)
    assert attachment.original_name == "Valtuuston_päätös.pdf"
    event = CaseEvent.objects.get(application=draft, kind=EventKind.PARTICIPATION_CONFIRMED)
    assert event.actor == people["partner"]


def test_partner_declines(client, draft, people, municipalities):
    client.force_login(people["partner"])
    client.post(reverse("applications:participation", kwargs={"pk": draft.pk}), {"answer": "decline"})
    participant = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    assert participant.status == ParticipationStatus.DECLINED


def test_partner_answer_needs_a_choice_and_a_valid_document(client, draft, people, municipalities):
    client.force_login(people["partner"])
    url = reverse("applications:participation", kwargs={"pk": draft.pk})
    response = client.post(url, {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    renamed = SimpleUploadedFile("paatos.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(url, {"answer": "confirm", "commitment": renamed})
    assert "is not a PDF file" in response.content.decode()
    participant = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    assert participant.status == ParticipationStatus.PENDING
    assert not Attachment.objects.exists()


def test_lead_cannot_answer_for_a_partner(client, draft, people, municipalities):
    client.force_login(people["lead"])
    response = client.post(
        reverse("applications:participation", kwargs={"pk": draft.pk}), {"answer": "confirm"}
    )
    assert response.status_code == 403
    participant = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    assert participant.status == ParticipationStatus.PENDING


def test_partner_cannot_manage_participants(client, draft, people):
    client.force_login(people["partner"])
    assert client.get(participants_url(draft)).status_code == 403
    assert client.post(participants_url(draft), {"municipality": "235"}).status_code == 403


def test_no_changes_after_submission(lead_client, ready, people):
    from applications import services

    services.submit_application(application=ready, by=people["lead"])
    response = lead_client.post(participants_url(ready), {"municipality": "235"}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    assert Participant.objects.filter(application=ready).count() == 2


def test_the_journal_names_municipalities_in_the_pages_language(client, draft, people):
    """The review saw 'Kommun tillagd: Kauniainen' in Swedish: the journal now names the municipality, and
    the page shows its name in the page's language."""
    from django.utils import translation

    client.force_login(people["lead"])
    with translation.override("sv"):
        swedish = client.get(reverse("applications:detail", kwargs={"pk": draft.pk})).content.decode()
    with translation.override("fi"):
        finnish = client.get(reverse("applications:detail", kwargs={"pk": draft.pk})).content.decode()
    journal_sv = swedish.split('class="journal"', 1)[1]
    journal_fi = finnish.split('class="journal"', 1)[1]
    assert ": Vanda" in journal_sv and ": Vantaa" not in journal_sv
    assert ": Vantaa" in journal_fi


def test_a_participations_journal_row_says_its_statuses_in_words(client, ready, people):
    client.force_login(people["lead"])
    page = client.get(reverse("applications:detail", kwargs={"pk": ready.pk}))
    event = CaseEvent.objects.get(application=ready, kind=EventKind.PARTICIPATION_CONFIRMED)
    assert (event.from_status_label, event.to_status_label) == ("Waiting for confirmation", "Confirmed")
    assert page.status_code == 200
