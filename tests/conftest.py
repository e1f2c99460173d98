"""Shared fixtures. Tests marked `postgres` need PostgreSQL's own behaviour and skip on SQLite."""

import pytest
from django.core.management import call_command
from django.db import connection


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def published_2022(db):
    """The real, published 2022 call and its 24 awards, loaded from the shipped fixtures."""
    call_command("loaddata", "organisations", "call_2022", verbosity=0)
    from grants.models import Call

    return Call.objects.get(slug="kuntien-digitalisaatio-2022")


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read English messages; pages under /fi/ and /sv/ switch language themselves."""
    from django.utils import translation

    with translation.override("en"):
        yield
