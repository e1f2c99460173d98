"""The documentation keeps up with the code: every environment variable the settings read is in the
configuration reference and in `.env.example`, and the README's code layout names every module."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["config", "core", "mail", "accounts", "grants", "applications", "processing", "opendata", "demo_idp"]


def variables_read_by_the_settings():
    source = "\n".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))
    return set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))


def test_the_settings_read_what_this_test_looks_for():
    found = variables_read_by_the_settings()
    assert {"DATABASE_URL", "DJANGO_STATIC_ROOT", "SAML_SESSION_COOKIE_SAMESITE"} <= found
    assert len(found) > 40


@pytest.mark.parametrize("document", ["docs/configuration.md", ".env.example"])
def test_every_environment_variable_is_documented(document):
    text = (ROOT / document).read_text()
    missing = sorted(name for name in variables_read_by_the_settings() if not re.search(rf"\b{name}\b", text))
    assert not missing, f"{document} lacks {missing}"


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT / app)
        if "migrations" in relative.parts or path.name == "__init__.py" and relative.parent.name != app:
            continue
        if path.name in {"__init__.py", "apps.py"} and len(relative.parts) == 1:
            continue
        yield relative


def test_the_code_layout_names_every_module():
    readme = (ROOT / "README.md").read_text()
    layout = readme[readme.index("## Code layout") :]
    layout = layout[: layout.index("```", layout.index("```") + 3)]
    # Each app's part of the block: from its line ("accounts/ ...") to the next app's.
    parts = dict(re.findall(r"^(\w+)/ +(.*?)(?=^\w+/ |\Z)", layout, re.M | re.S))
    unnamed = []
    for app in APPS:
        part = parts.get(app, "")
        words = set(re.findall(r"[\w.]+", part))
        for module in modules(app):
            stem = module.stem if module.name != "__init__.py" else module.parent.name
            # A command is named by its name, a module by its file's name or its own.
            named = stem in words if "commands" in module.parts else module.name in words or stem in words
            if not named:
                unnamed.append(f"{app}/{module}")
    assert not unnamed, f"README's code layout does not name {unnamed}"
