"""Production settings pass Django's deployment checklist; every page carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse


def test_check_deploy_has_no_warnings_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="avustukset.example.fi",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_csp_frame_denial_referrer_policy_and_nosniff(client):
    response = client.get(reverse("grants:home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_only_the_api_documentation_relaxes_styles_for_redoc(client):
    policy = client.get(reverse("api-docs"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


TEMPLATE_ROOT = Path(settings.BASE_DIR) / "templates"


def template_files():
    """The site's pages. Mail (templates/emails/) is not served under the site's policy, and mail programs
    take only inline styles."""
    return sorted(path for path in TEMPLATE_ROOT.rglob("*.html") if path.parent.name != "emails")


@pytest.mark.parametrize("path", template_files(), ids=lambda path: str(path.relative_to(TEMPLATE_ROOT)))
def test_templates_have_no_inline_script_or_style_that_the_policy_would_block(path):
    text = path.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
    assert inline_scripts == []
    assert not re.search(r"\sstyle\s*=", text)
    assert not re.search(r"<style\b", text)
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handlers are scripts too"


def test_sessions_expire_after_inactivity_and_cookies_are_locked_down():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The idle limit slides with use, renewed at most once a minute (tests/accounts/test_session_expiry.py).
    assert "accounts.sessions.IdleExpiryMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_an_idle_session_is_signed_out(client, people):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(people["lead"])
    assert client.get(reverse("applications:my-cases")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("applications:my-cases"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
