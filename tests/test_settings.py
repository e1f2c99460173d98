"""Configuration: production refuses to start without its secrets; the database comes from DATABASE_URL."""

import os
import subprocess
import sys

from django.conf import settings


def run_production_import(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_without_secret_key():
    result = run_production_import(DJANGO_ALLOWED_HOSTS="avustukset.example.fi")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_without_allowed_hosts():
    result = run_production_import(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both():
    result = run_production_import(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="avustukset.example.fi")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_finnish_is_default_and_swedish_offered():
    assert settings.LANGUAGE_CODE == "fi"
    assert [code for code, _ in settings.LANGUAGES] == ["fi", "sv", "en"]
    assert settings.TIME_ZONE == "Europe/Helsinki"
