"""The public results page is cached until what it shows changes; any change shows at once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from applications.models import Decision

pytestmark = pytest.mark.django_db

SLUG = "kuntien-digitalisaatio-2022"


def results_url(language="fi"):
    with translation.override(language):
        return reverse("grants:call-results", kwargs={"slug": SLUG})


def test_a_cached_page_costs_one_query_and_is_the_same_page(client, published_2022):
    first = client.get(results_url()).content
    with CaptureQueriesContext(connection) as queries:
        second = client.get(results_url()).content
    assert len(queries) == 1  # the call, for its results version
    assert first == second


def test_languages_are_cached_apart(client, published_2022):
    assert "Lahtis" not in client.get(results_url("fi")).content.decode()
    assert "Lahtis" in client.get(results_url("sv")).content.decode()
    assert "Lahtis" not in client.get(results_url("fi")).content.decode()


def test_a_corrected_decision_shows_at_once(client, published_2022):
    client.get(results_url())
    decision = Decision.objects.filter(application__call=published_2022).order_by("pk").first()
    decision.granted_amount = Decimal("123457")
    decision.requested_amount = None
    decision.save()
    assert "123\xa0457" in client.get(results_url()).content.decode()


def test_a_renamed_municipality_shows_at_once(client, published_2022):
    client.get(results_url())
    lahti = Organisation.objects.get(code="398")
    lahti.name_fi = "Lahden kaupunki"
    lahti.save()
    assert "Lahden kaupunki" in client.get(results_url()).content.decode()


def test_an_edited_call_shows_at_once(client, published_2022):
    client.get(results_url())
    published_2022.name_fi = "Korjattu nimi"
    published_2022.save()
    assert "Korjattu nimi" in client.get(results_url()).content.decode()
