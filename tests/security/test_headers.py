"""Issue 17, point 6 (red-team findings 16 and 17): signed-in pages and case downloads are never stored by
a browser or a cache; the health probes answer plain HTTP without a redirect under production settings."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services

pytestmark = pytest.mark.django_db


def test_signed_in_pages_and_downloads_are_no_store(client, draft, people):
    attachment = services.add_attachment(
        application=draft,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"),
        description="Suunnitelma",
        by=people["lead"],
    )
    client.force_login(people["lead"])
    for url in (
        reverse("applications:detail", kwargs={"pk": draft.pk}),
        reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}),
        reverse("accounts:personal-data"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_public_pages_keep_their_own_caching(client, published_2022):
    response = client.get(reverse("grants:home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_health_probes_answer_plain_http_under_production_settings():
    script = (
        "import django; django.setup();"
        "from django.test import Client; c = Client(HTTP_HOST='avustukset.example.fi');"
        "print(c.get('/healthz').status_code, c.get('/readyz').status_code, c.get('/fi/').status_code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="avustukset.example.fi",
        DATABASE_URL="sqlite://:memory:",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["200", "200", "301"], result.stdout + result.stderr
