"""Issue 17, point 9: every page type is valid HTML, signed-in pages included, in Finnish and Swedish,
as the Nu HTML Checker (vnu.jar, the W3C's validator) judges it.

vnu.jar needs Java and comes from npm (`vnu-jar`); `.ci/run` installs both and sets VNU_JAR, and there
the check must run. On a machine without them it is skipped with a message saying how to run it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from tests.security.test_access_matrix import (  # noqa: F401
    SITE_NAMES,
    client_for,
    first_role_that_sees,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

VNU_JAR = os.environ.get("VNU_JAR", "")


def vnu_or_skip():
    if VNU_JAR and Path(VNU_JAR).is_file() and shutil.which("java"):
        return VNU_JAR
    message = "needs the Nu HTML Checker: set VNU_JAR to vnu.jar (npm install vnu-jar) and install Java"
    if os.environ.get("VALIDATORS_REQUIRED"):
        pytest.fail(message)
    pytest.skip(message)


def pages(world):  # noqa: F811
    """(name, role) for each page type, seen by the first role that may see it."""
    for name in SITE_NAMES:
        role = first_role_that_sees(name)
        if role is not None:
            yield name, role


def test_every_page_type_is_valid_html(world, tmp_path):  # noqa: F811
    jar = vnu_or_skip()
    clients = {}
    saved = 0
    for language in ("fi", "sv"):
        with translation.override(language):
            for name, role in pages(world):
                client = clients.setdefault(role, client_for(role, world))
                response = client.get(url_for(name, world))
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    continue
                body = b"".join(response.streaming_content) if response.streaming else response.content
                (tmp_path / f"{language}-{name.replace(':', '-')}.html").write_bytes(body)
                saved += 1
    assert saved >= 70, "too few pages were checked"
    result = subprocess.run(
        ["java", "-jar", jar, "--format", "json", "--errors-only", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '')[:80]}]"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
