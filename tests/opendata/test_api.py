"""The read-only open-data API: filters, pagination, stable order, 400 for bad parameters."""

import pytest
from django.urls import reverse

from tests.factories import CallFactory, DecisionFactory

pytestmark = pytest.mark.django_db


def awards(client, **params):
    response = client.get(reverse("api-award-list"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_lists_the_24_published_awards_of_2022(client, published_2022):
    data = awards(client)
    assert data["count"] == 24 and len(data["results"]) == 24
    espoo = next(a for a in data["results"] if a["lead"]["code"] == "049")
    assert espoo["granted_amount"] == "280500.00" and espoo["call"] == published_2022.slug
    assert espoo["lead"]["name_sv"] == "Esbo" and espoo["participants"] == []


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"municipality": "398"}, 2),
        ({"region": "Uusimaa"}, 5),
        ({"amount_min": "500000"}, 6),
        ({"amount_max": "100000"}, 1),
        ({"year": "2022"}, 24),
        ({"year": "2023"}, 0),
        ({"call": "kuntien-digitalisaatio-2022"}, 24),
        ({"emphasis_area": "1"}, 0),
    ],
)
def test_filters(client, published_2022, params, expected):
    assert awards(client, **params)["count"] == expected


@pytest.mark.parametrize(
    "params",
    [
        {"amount_min": "abc"},
        {"year": "twenty"},
        {"emphasis_area": "x"},
        {"municipality": "12345"},
        {"amount_max": "-1"},
    ],
)
def test_bad_parameters_are_400_with_a_message(client, published_2022, params):
    response = client.get(reverse("api-award-list"), params)
    assert response.status_code == 400
    assert list(params)[0] in response.json()


def test_pagination_and_stable_order(client, published_2022):
    first = client.get(reverse("api-municipality-list"), {"page": 1}).json()
    assert first["count"] == 309 and len(first["results"]) == 50 and first["results"][0]["code"] == "005"
    again = client.get(reverse("api-municipality-list"), {"page": 1}).json()
    assert again["results"] == first["results"]
    assert client.get(reverse("api-municipality-list"), {"page": 99}).status_code == 404
    assert client.get(reverse("api-municipality-list"), {"region": "Ahvenanmaa"}).json()["count"] == 16


def test_unpublished_awards_never_appear(client):
    DecisionFactory(application__call=CallFactory(closed=True))
    DecisionFactory(application__call=CallFactory(published=True), status="proposed")
    assert awards(client)["count"] == 0


def test_calls_and_schema_and_docs(client, published_2022):
    calls = client.get(reverse("api-call-list"), {"year": 2022}).json()
    assert [c["slug"] for c in calls["results"]] == [published_2022.slug]
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert {"/api/v1/awards/", "/api/v1/calls/", "/api/v1/municipalities/"} <= set(schema["paths"])
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert "cdn." not in docs.content.decode()  # served from the sidecar package, no outside network
