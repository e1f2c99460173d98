"""Issue 17, point 5 (red-team findings 8, 9, 10 and 18): control characters never reach the data, log
lines cannot be forged, an unknown Host answers 400, and office archives are checked for zip bombs."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.logs import OneLinePerRecord

pytestmark = pytest.mark.django_db


def test_control_characters_are_removed_from_what_is_saved(client, draft, people):
    client.force_login(people["lead"])
    url = reverse("applications:edit", kwargs={"pk": draft.pk})
    client.post(
        url, {"project_name": "Ctrl\x01\x0b\x1f testi\x7f", "summary": "rivi\nrivi\ttab", "save": "1"}
    )
    draft.refresh_from_db()
    assert draft.project_name == "Ctrl testi"
    assert draft.summary == "rivi\nrivi\ttab"  # tab and newline are text


def test_a_nul_character_is_still_refused(client, draft, people):
    client.force_login(people["lead"])
    response = client.post(reverse("applications:edit", kwargs={"pk": draft.pk}), {"project_name": "a\x00b"})
    assert response.status_code == 400


def test_a_log_line_cannot_be_forged_with_a_newline():
    record = logging.LogRecord(
        "security",
        logging.WARNING,
        __file__,
        1,
        "sign-in failed account=%s address=%s",
        ("victim@example.fi\nsign-in succeeded user=1 address=10.9.8.7", "127.0.0.1"),
        None,
    )
    OneLinePerRecord().filter(record)
    line = logging.Formatter().format(record)
    assert "\n" not in line and "victim@example.fi\\nsign-in succeeded" in line
    # …and every handler of the project's logging uses it.
    handlers = settings.LOGGING["handlers"]
    assert all("one_line" in handler.get("filters", []) for handler in handlers.values())


def test_the_admin_sign_in_with_a_newline_logs_one_line(client, caplog):
    handler_filter = OneLinePerRecord()
    with caplog.at_level(logging.WARNING, logger="security"):
        client.post(
            "/fi/admin/login/", {"username": "victim@example.fi\nsign-in succeeded user=1", "password": "x"}
        )
    records = [r for r in caplog.records if r.name == "security"]
    assert records
    for record in records:
        handler_filter.filter(record)
        assert "\n" not in logging.Formatter().format(record)


def test_an_unknown_host_header_answers_400_not_500():
    client = Client(HTTP_HOST="evil.example")
    response = client.get("/fi/")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
