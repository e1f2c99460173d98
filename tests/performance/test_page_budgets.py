"""An absolute query budget for every page type.

Every URL of the access matrix that some role may see is requested, with the matrix's world, as the first
role in the matrix's order that may see it, and its queries are counted against `query_budgets.toml` beside
this file: one line per page. A page that needs one query more fails here, naming the page and printing its
queries; a page that needs fewer fails too, so that the table stays exact and a saving is kept. Changing a
budget is a visible one-line change in a commit that says why.

Each page is counted the second time it is requested, as it is served most of the time: with the caches that
its first request filled (the navigation's waiting-work counts, the municipality lists), which their own
tests cover. Every query is counted, as Django's assertNumQueries counts them (in a test the savepoints of a
service's transaction are queries too).

The signed-in frame of every page (the session, the user, the second factor, the memberships and the
navigation's counts) costs at most FRAME_BUDGET queries for every role."""

import tomllib
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.security.test_access_matrix import (  # noqa: F401
    ROLES,
    SITE_NAMES,
    client_for,
    first_role_that_sees,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

BUDGETS_FILE = Path(__file__).with_name("query_budgets.toml")
BUDGETS = tomllib.loads(BUDGETS_FILE.read_text())["queries"]
PAGES = [name for name in SITE_NAMES if first_role_that_sees(name) is not None]
FRAME_BUDGET = 4


def counted_get(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response, [query["sql"] for query in queries.captured_queries]


def listing(queries):
    return "\n".join(f"  {number:>3}. {sql[:400]}" for number, sql in enumerate(queries, 1))


def test_every_page_has_a_budget_and_every_budget_a_page():
    assert sorted(set(PAGES) - set(BUDGETS)) == [], f"give these pages a budget in {BUDGETS_FILE.name}"
    assert sorted(set(BUDGETS) - set(PAGES)) == [], "budgets of pages that no longer exist: remove them"


@pytest.mark.parametrize("name", PAGES)
def test_page_keeps_its_query_budget(world, name):  # noqa: F811
    role = first_role_that_sees(name)
    url = url_for(name, world)
    response, queries = counted_get(client_for(role, world), url)
    assert response.status_code == 200, f"GET {url} as {role}: {response.status_code}"
    budget = BUDGETS.get(name)
    if len(queries) > (budget or 0):
        pytest.fail(
            f"{name} (GET {url} as {role}) made {len(queries)} queries, over its budget of {budget} in "
            f"{BUDGETS_FILE.name}. Its queries:\n{listing(queries)}"
        )
    assert len(queries) == budget, (
        f"{name} now makes {len(queries)} queries, fewer than its budget: set it to "
        f'"{name}" = {len(queries)} in {BUDGETS_FILE.name}'
    )


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_signed_in_frame_costs_at_most_four_queries(world, role):  # noqa: F811
    """The privacy page has no queries of its own: what it costs signed in is the frame."""
    response, queries = counted_get(client_for(role, world), reverse("grants:privacy"))
    assert response.status_code == 200
    assert len(queries) <= FRAME_BUDGET, (
        f"the signed-in frame costs {role} {len(queries)} queries:\n{listing(queries)}"
    )
