"""The public results page is cached until what it shows changes; any change shows at once."""

import datetime
import gzip
import time
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.messages.storage.session import SessionStorage
from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from applications.models import Decision
from grants.models import Call
from opendata.selectors import RESULTS_VERSION_SECONDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLUG = "kuntien-digitalisaatio-2022"


def results_url(language="fi"):
    with translation.override(language):
        return reverse("opendata:call-results", kwargs={"slug": SLUG})


def test_a_cached_page_costs_no_query_and_is_the_same_page(client, published_2022):
    first = client.get(results_url()).content
    with CaptureQueriesContext(connection) as queries:
        second = client.get(results_url()).content
    assert len(queries) == 0  # the call's results version comes from the cache too
    assert first == second


def test_a_signed_in_users_cached_page_reads_the_call_once(client, published_2022):
    client.force_login(UserFactory())
    client.get(results_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(results_url())
    call_reads = [q for q in queries if 'FROM "grants_call"' in q["sql"]]
    assert len(call_reads) == 1


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


# Plain visitors (no session, no pending messages) share one cached response, compressed once.


def test_a_visitor_gets_the_whole_page_compressed_and_the_same_page_uncompressed(client, published_2022):
    plain = client.get(results_url())
    compressed = client.get(results_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert len(compressed.content) < len(plain.content) / 3
    assert gzip.decompress(compressed.content) == plain.content
    vary = {value.strip() for value in compressed["Vary"].split(",")}
    assert {"Accept-Encoding", "Cookie"} <= vary
    # The shared page holds nothing of anyone's own: no CSRF token, no cookie set.
    assert b"csrfmiddlewaretoken" not in plain.content
    assert not plain.cookies


def test_a_change_made_in_another_process_shows_once_the_version_expires(client, published_2022, monkeypatch):
    """Another process's change deletes the version key in its own cache only (the default cache is per
    process); this process sees the change when its copy expires, RESULTS_VERSION_SECONDS later."""
    client.get(results_url())
    # As another process would leave the database: the change and the bumped version, no signal here.
    Call.objects.filter(pk=published_2022.pk).update(
        name_fi="Toisen prosessin korjaus", results_version=F("results_version") + 1
    )
    assert "Toisen prosessin korjaus" not in client.get(results_url()).content.decode()
    later = time.time() + RESULTS_VERSION_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert "Toisen prosessin korjaus" in client.get(results_url()).content.decode()


def test_publication_shows_at_once_and_unpublished_results_are_not_found(client, published_2022):
    published_2022.results_published_on = None
    published_2022.save()
    assert client.get(results_url()).status_code == 404
    published_2022.results_published_on = datetime.date(2022, 12, 5)
    published_2022.save()
    assert client.get(results_url()).status_code == 200
    published_2022.results_published_on = None
    published_2022.save()
    assert client.get(results_url()).status_code == 404


def test_a_signed_in_user_gets_their_own_frame_and_visitors_never_see_it(client, published_2022):
    user = UserFactory(full_name="Maija Meikäläinen")
    client.get(results_url())  # a visitor's page is now cached
    client.force_login(user)
    signed_in = client.get(results_url()).content.decode()
    assert "Maija Meikäläinen" in signed_in
    assert "csrfmiddlewaretoken" in signed_in  # the sign-out form
    client.logout()
    visitor = Client().get(results_url()).content.decode()
    assert "Maija Meikäläinen" not in visitor
    assert "csrfmiddlewaretoken" not in visitor


def test_a_visitor_with_a_pending_message_sees_it(client, published_2022):
    client.get(results_url())  # cached without any message
    # Messages live in the session (MESSAGE_STORAGE), so a visitor with one has a session cookie.
    request = RequestFactory().get("/")
    request.session = client.session
    storage = SessionStorage(request)
    storage.add(messages.INFO, "Olet kirjautunut ulos.")
    storage.update(HttpResponse())
    request.session.save()
    assert "Olet kirjautunut ulos." in client.get(results_url()).content.decode()


def test_a_correction_reaches_visitors_compressed_page_at_once(client, published_2022):
    client.get(results_url(), HTTP_ACCEPT_ENCODING="gzip")
    published_2022.name_fi = "Korjattu nimi"
    published_2022.save()
    page = gzip.decompress(client.get(results_url(), HTTP_ACCEPT_ENCODING="gzip").content).decode()
    assert "Korjattu nimi" in page


def test_a_page_read_by_another_node_before_the_correction_commits_is_forgotten_at_commit(
    client, published_2022, django_capture_on_commit_callbacks
):
    """With a shared cache another node may read the results between the change and its commit: it still
    sees the old version and caches it. The version is forgotten again when the change commits."""
    from django.core.cache import cache

    from opendata.selectors import results_version_key

    client.get(results_url())
    before = cache.get(results_version_key(SLUG))
    decision = Decision.objects.filter(application__call=published_2022).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        decision.granted_amount = Decimal("123457")
        decision.requested_amount = None
        decision.save()
        # The other node, reading what was committed before this change.
        cache.set(results_version_key(SLUG), before)
    assert "123\xa0457" in client.get(results_url()).content.decode()


def test_a_process_keeps_its_own_copy_of_the_page_and_still_asks_the_shared_cache_for_the_version(
    client, published_2022
):
    from django.core.cache import cache, caches

    first = client.get(results_url()).content
    # The shared cache (Redis with several nodes) loses the page's bytes, as when they were evicted: this
    # process answers from its own copy, with no query and no rendering.
    page_keys = [key for key in cache._cache if ":results-page:" in key]  # LocMemCache's own store
    assert page_keys
    for key in page_keys:
        del cache._cache[key]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(results_url()).content == first
    assert len(queries) == 0
    # A correction made on another node forgets the version in the shared cache (no signal here); this
    # process still holds its copy of the old version's page, and shows the corrected page at once.
    Call.objects.filter(pk=published_2022.pk).update(
        name_fi="Toisen solmun korjaus", results_version=F("results_version") + 1
    )
    cache.delete(f"results-version:{SLUG}")
    assert any(":results-page:" in key for key in caches["pages"]._cache)
    assert "Toisen solmun korjaus" in client.get(results_url()).content.decode()
