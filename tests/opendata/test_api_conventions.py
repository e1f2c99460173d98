"""Issue 17, point 7: the API's root and detail endpoints, strict parameters, HTTP caching with 304
answers, CORS on the open data only, anonymous throttling and a well-formed schema download."""

import email
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

pytestmark = pytest.mark.django_db


def test_the_root_links_to_every_endpoint(client):
    links = client.get("/api/v1/").json()
    assert set(links) == {"calls", "awards", "municipalities", "schema", "docs"}
    assert links["awards"].endswith("/api/v1/awards/")


def test_detail_endpoints(client, published_2022):
    awards = client.get(reverse("api-award-list"), {"municipality": "049"}).json()["results"]
    detail = client.get(reverse("api-award-detail", kwargs={"pk": awards[0]["id"]})).json()
    assert detail["granted_amount"] == "280500.00" and detail["lead"]["code"] == "049"
    call = client.get(reverse("api-call-detail", kwargs={"slug": published_2022.slug})).json()
    assert call["year"] == 2022
    assert client.get(reverse("api-municipality-detail", kwargs={"code": "049"})).json()["name_sv"] == "Esbo"
    for missing in ("/api/v1/awards/999999/", "/api/v1/awards/abc/", "/api/v1/calls/no-such/", "/api/v1/x/"):
        response = client.get(missing)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", missing


@pytest.mark.parametrize(
    "query, field",
    [
        ("year=2022&year=2023", "year"),
        ("amount_max=1&amount_max=2", "amount_max"),
        ("page=", "page"),
        ("page=0", "page"),
        ("page=x", "page"),
    ],
)
def test_repeated_and_malformed_parameters_are_refused(client, published_2022, query, field):
    response = client.get(f"/api/v1/awards/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_etag_last_modified_and_304(client, published_2022):
    for url in ("/api/v1/awards/", "/api/v1/calls/", "/open-data/360giving.json"):
        first = client.get(url)
        assert first.status_code == 200
        assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304, url


def test_a_correction_changes_last_modified(client, published_2022):
    from applications.models import Application

    # The fixtures were loaded this second: their last change is set an hour back (no signal sent).
    type(published_2022).objects.filter(pk=published_2022.pk).update(
        results_changed_at=timezone.now() - timedelta(hours=1)
    )
    before = client.get("/api/v1/awards/")
    espoo = Application.objects.get(call=published_2022, lead__code="049")
    espoo.project_name = "Korjattu nimi"
    espoo.save()
    after = client.get("/api/v1/awards/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    # Last-Modified is kept in the cache between requests; the correction forgets it.
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])


def test_cors_on_the_open_data_only(client, published_2022):
    api = client.get("/api/v1/awards/", HTTP_ORIGIN="https://example.org")
    assert api["Access-Control-Allow-Origin"] == "*"
    giving = client.get("/open-data/360giving.json", HTTP_ORIGIN="https://example.org")
    assert giving["Access-Control-Allow-Origin"] == "*"
    page = client.get("/fi/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page


def test_anonymous_clients_are_throttled(client, settings):
    settings.OPEN_DATA_RATE = "3/min"
    statuses = [client.get("/api/v1/municipalities/", REMOTE_ADDR="10.9.0.1").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/municipalities/", REMOTE_ADDR="10.9.0.2").status_code == 200


def test_the_schema_download_has_a_well_formed_content_disposition(client):
    response = client.get(reverse("api-schema"))
    message = email.message_from_string(f"Content-Disposition: {response['Content-Disposition']}\n\n")
    assert message.get_content_disposition() == "inline" and message.get_filename().endswith(".yaml")
