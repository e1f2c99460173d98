"""The 360Giving export validates offline against the official schema (1.4.3, copied into the project)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.factories import CallFactory, DecisionFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def read_json(response):
    """The export is streamed: read it to the end as a client does."""
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


SCHEMAS = Path(settings.BASE_DIR) / "fixtures" / "reference" / "360giving"


def validator():
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    # The package refers to the grant schema by its 1.4.2 address; the grant schema calls itself 1.4.3.
    # `$schema` is spelt in a way referencing does not recognise, so the draft is given explicitly.
    resource = Resource(contents=grant, specification=DRAFT202012)
    registry = Registry().with_resources(
        [
            (
                "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
                resource,
            ),
            (
                "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
                resource,
            ),
        ]
    )
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(data):
    return [error.message for error in validator().iter_errors(data)]


def test_2022_awards_export_as_valid_360giving(client, published_2022):
    response = client.get(reverse("open-data-360giving"))
    assert response.status_code == 200
    data = read_json(response)
    assert errors(data) == []
    grants = data["grants"]
    assert len(grants) == 24
    assert sum(Decimal(str(g["amountAwarded"])) for g in grants) == Decimal("8623231")
    espoo = next(g for g in grants if g["recipientOrganization"][0]["name"] == "Espoo")
    assert espoo["amountAwarded"] == 280500 and espoo["awardDate"] == "2022-06-15"
    # Espoo's Business ID (fixtures/reference/municipalities_2022_business_ids.csv) as org-id.guide FI-PRO.
    assert espoo["recipientOrganization"][0]["id"] == "FI-PRO-0101263-6"
    assert espoo["recipientOrganization"][0]["location"][0]["geoCode"] == "049"
    assert espoo["fundingOrganization"][0]["name"] == "Valtiovarainministeriö"
    assert "amountAppliedFor" not in espoo and "amountDisbursed" not in espoo  # never published
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    per_call = read_json(
        client.get(reverse("open-data-call-360giving", kwargs={"slug": published_2022.slug}))
    )
    assert len(per_call["grants"]) == 24 and errors(per_call) == []


def test_the_validation_catches_a_missing_required_field(client, published_2022):
    data = read_json(client.get(reverse("open-data-360giving")))
    del data["grants"][0]["awardDate"]
    assert errors(data)
    data = read_json(client.get(reverse("open-data-360giving")))
    data["grants"][0]["awardDate"] = "15.6.2022"
    assert errors(data)


def test_new_award_lists_lead_then_partners_and_business_id(client):
    call = CallFactory(published=True)
    lead = OrganisationFactory(name_fi="Alfa", business_id="1234567-1")
    decision = DecisionFactory(
        application__call=call, application__lead=lead, requested_amount=Decimal("120000")
    )
    ParticipantFactory(
        application=decision.application, organisation=OrganisationFactory(name_fi="Beta"), confirmed=True
    )
    ParticipantFactory(application=decision.application, organisation=OrganisationFactory(name_fi="Gamma"))
    data = read_json(client.get(reverse("open-data-360giving")))
    assert errors(data) == []
    grant = data["grants"][0]
    # One recipient, the project administrator; the partners carry it out with it (Gamma never confirmed).
    assert [o["name"] for o in grant["recipientOrganization"]] == ["Alfa"]
    assert grant["recipientOrganization"][0]["id"] == "FI-PRO-1234567-1"
    assert grant["description"].endswith("Hankkeen toteuttavat yhdessä: Alfa, Beta.")
    assert len(grant["beneficiaryLocation"]) == 2
    assert grant["amountAppliedFor"] == 120000


def test_unpublished_calls_never_appear(client):
    DecisionFactory(application__call=CallFactory(closed=True))
    response = client.get(reverse("open-data-360giving"))
    assert read_json(response)["grants"] == []
    assert client.get(reverse("open-data-call-360giving", kwargs={"slug": "no-such"})).status_code == 404


def test_results_page_links_the_downloads_with_the_licence(client, published_2022):
    html = client.get(reverse("opendata:call-results", kwargs={"slug": published_2022.slug})).content.decode()
    assert reverse("open-data-call-360giving", kwargs={"slug": published_2022.slug}) in html
    assert "CC BY 4.0" in html


def test_what_2022_did_not_publish_is_said_once_not_in_every_row(client, published_2022):
    """The 2022 results name no projects and no emphasis areas: the page says so once, and shows no
    chart of a single "not published" bar (usability review, problem 15)."""
    html = client.get(reverse("opendata:call-results", kwargs={"slug": published_2022.slug})).content.decode()
    assert "Project name not published" not in html
    assert html.count("The names of these projects were not published") == 1
    assert "By emphasis area" not in html and "By region of the lead applicant" in html
    assert html.count('<th scope="row">') >= 24  # every award still listed, by its lead


def test_a_call_that_records_names_and_areas_shows_them(client):
    call = CallFactory(published=True)
    area = call.emphasis_areas.get(number=1)
    DecisionFactory(
        application__call=call, application__emphasis_area=area, application__project_name="Alfa-hanke"
    )
    html = client.get(reverse("opendata:call-results", kwargs={"slug": call.slug})).content.decode()
    assert "Alfa-hanke" in html and "By emphasis area" in html and area.name_en in html
    assert "The names of these projects were not published" not in html


def test_the_360giving_usefulness_rules_that_apply_to_finnish_data(client, published_2022):
    """Issue 17, point 8, after the 360Giving Data Quality Tool's usefulness checks: recipients by a
    recognised org-id scheme (FI-PRO, the Business ID), one recipient per grant (the tool counted
    344 % when partners were recipients too), planned start and end dates where both are known."""
    from accounts.models import Organisation

    grants = read_json(client.get(reverse("open-data-360giving")))["grants"]
    assert len(grants) == 24
    assert all(len(grant["recipientOrganization"]) == 1 for grant in grants)
    recipients = [grant["recipientOrganization"][0] for grant in grants]
    fallback = [r for r in recipients if r["id"].startswith("360G-")]
    codes = [r["location"][0]["geoCode"] for r in fallback]
    # 360G- only for a municipality without a recorded Business ID; everyone else by FI-PRO.
    assert Organisation.objects.filter(code__in=codes).exclude(business_id="").count() == 0
    assert all(r["id"].startswith("FI-PRO-") for r in recipients if r not in fallback)
    assert len(fallback) < len(recipients) / 2
    # A new award has both planned dates.
    call = CallFactory(published=True)
    DecisionFactory(
        application__call=call, use_period_start=call.use_period_start, use_period_end=call.use_period_end
    )
    data = read_json(client.get(reverse("open-data-call-360giving", kwargs={"slug": call.slug})))
    (planned,) = data["grants"][0]["plannedDates"]
    assert planned["startDate"] and planned["endDate"]
    assert errors(data) == []
