"""Query budgets for the pages the benchmark covers (the worklist and My cases have theirs beside their other
tests): the same number of queries with 5 and with 500 rows, so that no page grows a query per row."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseEvent, EventKind, InternalComment
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    DecisionFactory,
    OrganisationFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def award(call, lead, partner, amount):
    application = ApplicationFactory(call=call, lead=lead, awarded=True)
    ParticipantFactory(application=application, organisation=lead, role="lead", confirmed=True)
    ParticipantFactory(application=application, organisation=partner, confirmed=True)
    DecisionFactory(application=application, granted_amount=Decimal(amount), requested_amount=Decimal(amount))


def count_queries(client, url, read=None):
    """The queries of the page as it is served most of the time: after a first request has filled the caches
    it uses (the navigation's waiting-work counts are kept until the work changes)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    if read:
        read(body)
    return len(queries)


@pytest.fixture
def published_call(db):
    return CallFactory(results_published_on=timezone.localdate() - dt.timedelta(days=1))


@pytest.fixture
def pool(db):
    return [OrganisationFactory() for _ in range(10)]


def test_results_page_and_360giving_cost_the_same_for_5_and_500_awards(client, published_call, pool):
    from django.core.cache import cache

    counts = {"results": [], "360giving": []}
    for added, total in ((5, 5), (495, 500)):
        for n in range(added):
            award(published_call, pool[n % 10], pool[(n + 1) % 10], 1000 + n)
        cache.clear()  # the page's own cost, not the cache's
        counts["results"].append(
            count_queries(client, reverse("opendata:call-results", kwargs={"slug": published_call.slug}))
        )

        def grants(body, total=total):
            assert len(json.loads(body)["grants"]) == total

        counts["360giving"].append(count_queries(client, reverse("open-data-360giving"), grants))
    assert counts["results"][0] == counts["results"][1]
    assert counts["360giving"][0] == counts["360giving"][1]


def test_case_page_costs_the_same_with_5_and_500_journal_events_and_comments(client, people, submitted_case):
    client.force_login(people["official"])
    url = reverse("processing:case", kwargs={"pk": submitted_case.pk})
    counts = []
    for added in (5, 495):
        CaseEvent.objects.bulk_create(
            CaseEvent(
                application=submitted_case,
                actor=people["lead"],
                kind=EventKind.ATTACHMENT_ADDED,
                note=f"liite {n}",
            )
            for n in range(added)
        )
        InternalComment.objects.bulk_create(
            InternalComment(application=submitted_case, author=people["official"], text=f"kommentti {n}")
            for n in range(added)
        )
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]
