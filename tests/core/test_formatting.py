"""Dates with times as Finnish and Swedish texts write them, in Helsinki time."""

import datetime as dt

import pytest
from django.utils import translation

from core.formatting import format_moment

# 14.15 UTC on a winter day is 16.15 in Helsinki.
MOMENT = dt.datetime(2027, 1, 30, 14, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "language, text",
    [("fi", "30.1.2027 klo 16.15"), ("sv", "30.1.2027 kl. 16.15"), ("en", "30.1.2027 16:15")],
)
def test_a_moment_reads_as_each_language_writes_it(language, text):
    with translation.override(language):
        assert format_moment(MOMENT) == text


def test_an_early_hour_has_no_leading_zero_in_finnish():
    with translation.override("fi"):
        assert format_moment(dt.datetime(2027, 1, 29, 22, 7, tzinfo=dt.UTC)) == "30.1.2027 klo 0.07"


def test_nothing_for_no_moment():
    assert format_moment(None) == ""
