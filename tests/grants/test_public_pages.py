"""The public pages: the calls, a call, and the results table with its CSV, in every language."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import CallContactFactory, CallFactory, DecisionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
SLUG = "kuntien-digitalisaatio-2022"


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in ("/fi/", "/sv/", "/en/")


def test_home_lists_open_calls_first(client):
    closed = CallFactory(closed=True, name_fi="Suljettu haku")
    upcoming = CallFactory(upcoming=True, name_fi="Tuleva haku")
    open_call = CallFactory(name_fi="Avoin haku")
    response = client.get(url("grants:home", "fi"))
    assert response.status_code == 200
    assert [call.pk for call in response.context["calls"]] == [open_call.pk, upcoming.pk, closed.pk]
    html = response.content.decode()
    assert html.index("Avoin haku") < html.index("Tuleva haku") < html.index("Suljettu haku")


def test_home_shows_2022_call_with_results_link(client, published_2022):
    response = client.get(url("grants:home", "sv"))
    html = response.content.decode()
    assert "Statsunderstöd för kommunernas digitaliseringsprojekt 2022" in html
    assert url("opendata:call-results", "sv", slug=SLUG) in html


def test_call_page_shows_purpose_areas_rules_dates_contacts(client, published_2022):
    response = client.get(url("grants:call-detail", "sv", slug=SLUG))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utveckling och säkerställande av kompetens." in html
    assert "uppmuntra kommunerna till samarbete" in html
    assert "Anne-Marie Välikangas" in html and "finansråd" in html
    assert "30.9.2024" in html and "15.6.2022" in html
    assert "85" in html
    finnish = client.get(url("grants:call-detail", "fi", slug=SLUG)).content.decode()
    assert "Osaamisen kehittäminen ja varmistaminen." in finnish
    assert "finanssineuvos" in finnish


def test_unknown_call_is_404(client, db):
    assert client.get(url("grants:call-detail", "fi", slug="no-such-call")).status_code == 404


@pytest.mark.parametrize(
    "language, espoo, total",
    [
        ("fi", "Espoo", f"8{NBSP}623{NBSP}231{NBSP}€"),
        ("sv", "Esbo", f"8{NBSP}623{NBSP}231{NBSP}€"),
        ("en", "Espoo", f"8,623,231{NBSP}€"),
    ],
)
def test_results_page_reproduces_press_release(client, published_2022, language, espoo, total):
    response = client.get(url("opendata:call-results", language, slug=SLUG))
    assert response.status_code == 200
    html = response.content.decode()
    results = response.context["results"]
    assert results.project_count == 24
    assert results.total_awarded == Decimal("8623231.00")
    assert results.applications_received == 49
    assert total in html
    assert f'<th scope="row">{espoo}</th>' in html
    assert "49" in html and "24" in html


def test_results_page_amounts_and_names_in_swedish(client, published_2022):
    html = client.get(url("opendata:call-results", "sv", slug=SLUG)).content.decode()
    assert f"280{NBSP}500{NBSP}€" in html
    assert f"1{NBSP}210{NBSP}000{NBSP}€" in html
    assert "Lahtis" in html and "Uleåborg" in html and "Björneborg" in html
    awards_table = html.split('<table class="results stack">')[1].split("</table>")[0]
    assert awards_table.count('<th scope="row">Lahtis</th>') == 2
    assert "Espoo" not in html


def test_results_are_ordered_by_name_in_page_language(client, published_2022):
    finnish = client.get(url("opendata:call-results", "fi", slug=SLUG)).context["results"]
    names = [decision.application.lead.name_fi for decision in finnish.awards]
    assert names[0] == "Espoo" and names[-1] == "Virrat"
    with translation.override("sv"):
        swedish = client.get(url("opendata:call-results", "sv", slug=SLUG)).context["results"]
        names = [decision.application.lead.name for decision in swedish.awards]
    assert names[0] == "Björneborg" and names[-1] == "Virdois"


def test_unpublished_results_are_not_public(client):
    call = CallFactory(closed=True)
    DecisionFactory(application__call=call)
    assert client.get(url("opendata:call-results", "fi", slug=call.slug)).status_code == 404
    assert client.get(url("opendata:call-results-csv", "fi", slug=call.slug)).status_code == 404
    html = client.get(url("grants:call-detail", "fi", slug=call.slug)).content.decode()
    assert url("opendata:call-results", "fi", slug=call.slug) not in html


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("language, name", [("fi", "Espoo"), ("sv", "Esbo"), ("en", "Espoo")])
def test_results_csv_matches_table(client, published_2022, language, name):
    response = client.get(url("opendata:call-results-csv", language, slug=SLUG))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 5
    assert len(body) == 24
    assert sum(Decimal(row[4]) for row in body) == Decimal("8623231.00")
    assert ["049", name, "", "", "280500.00"] in body
    assert [row[0] for row in body].count("398") == 2


def test_results_csv_headers_are_translated(client, published_2022):
    swedish = read_csv(client.get(url("opendata:call-results-csv", "sv", slug=SLUG)))[0]
    finnish = read_csv(client.get(url("opendata:call-results-csv", "fi", slug=SLUG)))[0]
    assert swedish != finnish
    assert "Huvudsökande" in swedish
    assert "Päähakija" in finnish


def test_language_switcher_links_to_same_page(client, published_2022):
    html = client.get(url("opendata:call-results", "fi", slug=SLUG)).content.decode()
    assert f'href="{url("opendata:call-results", "sv", slug=SLUG)}"' in html
    assert '<html lang="fi">' in html
    assert 'class="skip-link" href="#main"' in html


def make_published_call(awards):
    call = CallFactory(published=True)
    for _ in range(awards):
        DecisionFactory(application__call=call, application__lead=OrganisationFactory())
    CallContactFactory(call=call)
    return call


@pytest.mark.parametrize("page", ["opendata:call-results", "opendata:call-results-csv", "grants:call-detail"])
def test_query_count_does_not_grow_with_rows(client, page):
    small, large = make_published_call(5), make_published_call(50)
    counts = []
    for call in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(page, "fi", slug=call.slug)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_home_query_count_does_not_grow_with_calls(client):
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            CallFactory()
        with CaptureQueriesContext(connection) as queries:
            client.get(url("grants:home", "fi"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_results_list_only_approved_decisions(client):
    call = CallFactory(published=True)
    DecisionFactory(application__call=call, granted_amount=Decimal("1000"))
    DecisionFactory(application__call=call, granted_amount=Decimal("5000"), status="proposed")
    results = client.get(url("opendata:call-results", "fi", slug=call.slug)).context["results"]
    assert results.total_awarded == Decimal("1000") and results.project_count == 1


def test_results_at_a_glance_by_region_area_and_municipality(client, published_2022):
    response = client.get(url("opendata:call-results", "sv", slug=SLUG))
    charts = dict(response.context["charts"])
    by_region = {share.label: share for share in charts["Efter huvudsökandens landskap"]}
    assert sum(share.amount for share in by_region.values()) == Decimal("8623231.00")
    assert by_region["Nyland"].projects == 5  # Esbo, Kervo, Lojo, Nurmijärvi, Borgå
    assert by_region["Nyland"].amount == Decimal("280500") + 102000 + 1210000 + 289850 + 297500
    # 2022 published no emphasis areas: no chart of one "not published" bar.
    assert "Efter tyngdpunktsområde" not in charts
    municipalities = response.context["results"].municipalities()
    assert len(municipalities) == 23
    lahtis = next(entry for entry in municipalities if entry["organisation"].code == "398")
    assert (lahtis["lead"], lahtis["partner"]) == (2, 0)
    html = response.content.decode()
    assert 'class="bars" aria-hidden="true"' in html and "<caption" in html


@pytest.mark.parametrize(
    "language, heading, phrase",
    [
        ("fi", "Saavutettavuusseloste", "Etelä-Suomen aluehallintovirastolle"),
        ("sv", "Tillgänglighetsutlåtande", "Regionförvaltningsverket i Södra Finland"),
        ("en", "Accessibility statement", "Regional State Administrative Agency for Southern Finland"),
    ],
)
def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, language, heading, phrase):
    from django.utils import translation

    with translation.override(language):
        url = reverse("grants:accessibility")
        home = reverse("grants:home")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html and phrase in html
    assert f'href="{url}"' in client.get(home).content.decode()


@pytest.mark.parametrize(
    "language, heading, access, start",
    [
        ("fi", "Näin haet", "kuntien työntekijät kirjautuvat tunnuksella", "Aloita hakemus"),
        ("sv", "Så här ansöker du", "kommunernas personal loggar in med ett konto", "Påbörja en ansökan"),
    ],
)
def test_the_call_page_says_who_can_apply_and_how(client, open_call, language, heading, access, start):
    """Issue 16, point 10: who can apply, how to get access, the deadline and whom to ask."""
    text = client.get(url("grants:call-detail", language, slug=open_call.slug)).content.decode()
    assert heading in text and access in text and start in text
    assert reverse("applications:start", kwargs={"slug": open_call.slug}).split("/", 2)[2] in text


def test_the_results_open_as_columns_in_excel(client, published_2022):
    import io

    from openpyxl import load_workbook

    response = client.get(url("opendata:call-results-xlsx", "sv", slug=SLUG))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Huvudsökande" and len(rows) == 25
    assert sum(Decimal(str(row[4])) for row in rows[1:]) == Decimal("8623231")
    assert all(isinstance(row[4], (int, float)) for row in rows[1:])  # numbers, not text
    page = client.get(url("opendata:call-results", "fi", slug=SLUG)).content.decode()
    assert reverse("opendata:call-results-xlsx", kwargs={"slug": SLUG}).split("/", 2)[2] in page
    assert "/api/v1/docs/" in page
