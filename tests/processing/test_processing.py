"""The officials' worklist, its CSV export and the case page with internal comments."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from applications.models import Attachment, InternalComment, Status
from tests.conftest import squeezed, staff_of
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def processing_call(open_call):
    return open_call


def submitted(call, lead, **fields):
    application = ApplicationFactory(call=call, lead=lead, submitted=True, **fields)
    ParticipantFactory(application=application, organisation=lead, role="lead", confirmed=True)
    return application


@pytest.fixture
def cases(processing_call, municipalities):
    call = processing_call
    areas = list(call.emphasis_areas.all())
    return {
        "espoo": submitted(
            call,
            municipalities["lead"],
            project_name="Tiedonhallinnan laatu",
            summary="Metatiedot kuntoon",
            requested_amount=Decimal("100000"),
            emphasis_area=areas[0],
        ),
        "vantaa": submitted(
            call,
            municipalities["partner"],
            project_name="Osaamisen polut",
            summary="Koulutusohjelma",
            requested_amount=Decimal("250000"),
            emphasis_area=areas[1],
        ),
        "withdrawn": submitted(
            call,
            municipalities["partner2"],
            project_name="Peruttu hanke",
            status=Status.WITHDRAWN,
            requested_amount=Decimal("50000"),
        ),
        "draft": ApplicationFactory(call=call, lead=municipalities["other"], project_name="Keskeneräinen"),
    }


@pytest.fixture
def decision_maker(ministry):
    user = UserFactory()
    MembershipFactory(user=user, organisation=ministry, role=Role.DECISION_MAKER)
    return user


@pytest.fixture
def reviewer(ministry):
    user = UserFactory()
    MembershipFactory(user=user, organisation=ministry, role=Role.REVIEWER)
    return user


def urls(call, application):
    return [
        reverse("processing:calls"),
        reverse("processing:worklist", kwargs={"slug": call.slug}),
        reverse("processing:worklist-csv", kwargs={"slug": call.slug}),
        reverse("processing:case", kwargs={"pk": application.pk}),
    ]


def test_officials_and_decision_makers_reach_every_url(
    client, cases, processing_call, people, decision_maker
):
    for user in (people["official"], decision_maker):
        client.force_login(user)
        for url in urls(processing_call, cases["espoo"]):
            assert client.get(url).status_code == 200, url


def test_everyone_else_gets_404(client, cases, processing_call, people, reviewer):
    targets = urls(processing_call, cases["espoo"])
    for url in targets:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x"}).status_code == 404, url
    for user in (people["lead"], people["partner"], people["other"], reviewer):
        client.force_login(user)
        for url in targets:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {"text": "x"}).status_code == 404, (user, url)
    assert not InternalComment.objects.exists()


def worklist(client, call, **params):
    return client.get(reverse("processing:worklist", kwargs={"slug": call.slug}), params)


def names(response):
    return [application.project_name for application in response.context["page"]]


@pytest.fixture
def official_client(client, people):
    client.force_login(people["official"])
    return client


def test_worklist_lists_submitted_not_drafts_with_counts(official_client, cases, processing_call):
    response = worklist(official_client, processing_call)
    assert names(response) == ["Tiedonhallinnan laatu", "Osaamisen polut", "Peruttu hanke"]
    counts = {code: count for code, _, count in response.context["status_counts"]}
    assert counts["submitted"] == 2 and counts["withdrawn"] == 1
    assert response.context["total"] == 3
    assert "Keskeneräinen" not in response.content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "withdrawn"}, ["Peruttu hanke"]),
        ({"q": "osaamisen"}, ["Osaamisen polut"]),
        ({"q": "metatiedot"}, ["Tiedonhallinnan laatu"]),
        ({"amount_min": "200000"}, ["Osaamisen polut"]),
        ({"amount_max": "100000"}, ["Tiedonhallinnan laatu", "Peruttu hanke"]),
        ({"amount_min": "60000", "amount_max": "200000"}, ["Tiedonhallinnan laatu"]),
        ({"ordering": "-amount"}, ["Osaamisen polut", "Tiedonhallinnan laatu", "Peruttu hanke"]),
        ({"ordering": "name"}, ["Osaamisen polut", "Peruttu hanke", "Tiedonhallinnan laatu"]),
    ],
)
def test_worklist_filters(official_client, cases, processing_call, params, expected):
    assert names(worklist(official_client, processing_call, **params)) == expected


def test_filter_by_case_number_area_region_and_municipality(
    official_client, cases, processing_call, municipalities
):
    espoo = cases["espoo"]
    assert names(worklist(official_client, processing_call, q=espoo.case_number)) == [espoo.project_name]
    area = processing_call.emphasis_areas.get(number=2)
    assert names(worklist(official_client, processing_call, emphasis_area=area.pk)) == ["Osaamisen polut"]
    municipalities["partner"].region_fi = "Pirkanmaa"
    municipalities["partner"].save()
    assert names(worklist(official_client, processing_call, region="Pirkanmaa")) == ["Osaamisen polut"]
    # Vantaa leads one application and takes part in Espoo's.
    ParticipantFactory(application=espoo, organisation=municipalities["partner"], confirmed=True)
    found = names(worklist(official_client, processing_call, municipality=municipalities["partner"].pk))
    assert found == ["Tiedonhallinnan laatu", "Osaamisen polut"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"amount_min": "abc"}, "Enter a number"),
        ({"amount_max": "-5"}, "greater than or equal to 0"),
        ({"status": "approved-by-magic"}, "Select a valid choice"),
        ({"emphasis_area": "999999"}, "Select a valid choice"),
        ({"municipality": "abc"}, "Select a valid choice"),
        ({"ordering": "password"}, "Select a valid choice"),
        ({"q": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_filter_input_is_explained_not_a_server_error(
    official_client, cases, processing_call, params, message
):
    response = worklist(official_client, processing_call, **params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_filter_form_is_kept_per_query_and_shows_each_querys_choices(
    official_client, cases, processing_call
):
    """The rendered filter form is cached per call, language and query; each query's own choices show."""
    first = worklist(official_client, processing_call, status="withdrawn").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = worklist(official_client, processing_call, status="withdrawn").content.decode()
    assert not [q for q in queries if 'FROM "grants_emphasisarea"' in q["sql"]]  # form not built again
    assert '<option value="withdrawn" selected>' in first and '<option value="withdrawn" selected>' in again
    other = worklist(official_client, processing_call, status="submitted").content.decode()
    assert '<option value="submitted" selected>' in other
    assert '<option value="withdrawn" selected>' not in other


def test_a_filter_forms_errors_show_every_time_and_only_for_their_query(
    official_client, cases, processing_call
):
    for _ in range(2):
        response = worklist(official_client, processing_call, amount_min="abc")
        assert "Enter a number" in response.content.decode()
    assert "Enter a number" not in worklist(official_client, processing_call).content.decode()


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
def test_bad_page_numbers_show_a_page(official_client, cases, processing_call, page):
    assert worklist(official_client, processing_call, page=page).status_code == 200


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_follows_the_filters(official_client, cases, processing_call):
    url = reverse("processing:worklist-csv", kwargs={"slug": processing_call.slug})
    rows = read_csv(official_client.get(url, {"status": "submitted"}))
    assert rows[0][0] == "Case number" and len(rows[0]) == 10
    assert sorted(row[1] for row in rows[1:]) == ["Osaamisen polut", "Tiedonhallinnan laatu"]
    espoo_row = next(row for row in rows if row[1] == "Tiedonhallinnan laatu")
    assert espoo_row[7] == "100000.00"
    assert espoo_row[3] == "049"


def many(call, count):
    pool = [OrganisationFactory() for _ in range(10)]
    for n in range(count):
        application = submitted(call, pool[n % 10], requested_amount=Decimal(1000 + n))
        ParticipantFactory(application=application, organisation=pool[(n + 1) % 10], confirmed=True)


@pytest.mark.parametrize("url_name", ["processing:worklist", "processing:worklist-csv"])
def test_query_count_is_the_same_for_5_and_500_applications(official_client, processing_call, url_name):
    url = reverse(url_name, kwargs={"slug": processing_call.slug})
    # The steady state: the municipality list and this query's filter form are cached after the first page.
    official_client.get(url, {"ordering": "-amount"})
    counts = []
    for extra in (5, 495):
        many(processing_call, extra)
        with CaptureQueriesContext(connection) as queries:
            response = official_client.get(url, {"ordering": "-amount"})
            if url_name.endswith("csv"):
                rows = read_csv(response)
                assert len(rows) - 1 in (5, 500)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_case_page_shows_everything_and_takes_comments(official_client, cases, people):
    espoo = cases["espoo"]
    url = reverse("processing:case", kwargs={"pk": espoo.pk})
    html = official_client.get(url).content.decode()
    assert espoo.case_number in html and "Metatiedot kuntoon" in html
    response = official_client.post(url, {"text": "Tarkista kustannusarvio."})
    assert response.status_code == 302
    comment = InternalComment.objects.get()
    assert (comment.author, comment.application) == (people["official"], espoo)
    assert "Tarkista kustannusarvio." in official_client.get(url).content.decode()


def test_case_page_names_whose_commitment_each_attachment_is(official_client, cases, people):
    """The attachments take their participant from the participants the page read already."""
    espoo = cases["espoo"]
    lead = espoo.participants.get(organisation=espoo.lead)
    for participant, name in ((lead, "valtuusto.pdf"), (None, "suunnitelma.pdf")):
        Attachment.objects.create(
            application=espoo,
            participant=participant,
            file=f"attachments/{name}",
            original_name=name,
            content_type="application/pdf",
            size=100,
            description="Hankesuunnitelma" if participant is None else "",
            uploaded_by=people["lead"],
        )
    html = official_client.get(reverse("processing:case", kwargs={"pk": espoo.pk})).content.decode()
    assert f"valtuusto.pdf</a> (100\xa0bytes) – commitment of {espoo.lead.name_fi}" in squeezed(html)
    assert "suunnitelma.pdf</a> (100\xa0bytes) – Hankesuunnitelma" in squeezed(html)


def test_empty_or_overlong_comment_is_refused(official_client, cases):
    url = reverse("processing:case", kwargs={"pk": cases["espoo"].pk})
    assert "This field is required" in official_client.post(url, {"text": ""}).content.decode()
    assert "at most 5000 characters" in official_client.post(url, {"text": "x" * 5001}).content.decode()
    assert not InternalComment.objects.exists()


def test_drafts_have_no_officials_case_page(official_client, cases):
    assert (
        official_client.get(reverse("processing:case", kwargs={"pk": cases["draft"].pk})).status_code == 404
    )


def test_applicants_never_see_internal_comments(client, official_client, ready, people):
    from applications import services

    services.submit_application(application=ready, by=people["lead"])
    official_client.post(reverse("processing:case", kwargs={"pk": ready.pk}), {"text": "Salainen huomio"})
    assert InternalComment.objects.count() == 1
    for role in ("lead", "partner"):
        client.force_login(people[role])
        for name in ("applications:detail", "applications:print"):
            assert (
                "Salainen huomio" not in client.get(reverse(name, kwargs={"pk": ready.pk})).content.decode()
            )


def test_navigation_offers_processing_only_to_processors(client, people, processing_call):
    client.force_login(people["official"])
    assert reverse("processing:calls") in client.get(reverse("applications:my-cases")).content.decode()
    client.force_login(staff_of(OrganisationFactory()))
    assert reverse("processing:calls") not in client.get(reverse("applications:my-cases")).content.decode()
