"""A process that never signs anyone in through Suomi.fi or the ministry's provider, nor writes a workbook
or a PDF (the mail worker, the exports, management commands) does not load their libraries: pysaml2's XML
schemas (xmlschema, ~30 MB), authlib's client and joserfc (~15 MB), openpyxl (~15 MB), fpdf with its fonts
(~26 MB). The 360Giving export's process (bench/memory_360giving.py) is measured in bench/README.md."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import resolve, reverse

ROOT = Path(__file__).resolve().parents[2]
HEAVY = [
    "xmlschema",
    "saml2.config",
    "djangosaml2.views",
    "authlib.integrations",
    "joserfc.jwt",
    "openpyxl",
    "fpdf",
]


def test_setting_up_django_and_its_urls_loads_no_sign_in_protocol_nor_spreadsheet_library():
    code = (
        "import json, sys, django; django.setup(); "
        "from django.urls import reverse; reverse('saml2_acs'); "  # the URLconf, every view module in it
        "import opendata.views, processing.treasury; "
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_each_lazy_saml_endpoint_is_csrf_exempt_exactly_when_its_view_is():
    """The identity provider posts to the assertion consumer and the logout service cross-site; the lazy
    endpoints (accounts.sso_urls) must say so as djangosaml2's views do, before those are imported."""
    from django.utils.module_loading import import_string

    for name in ("saml2_acs", "saml2_ls", "saml2_ls_post", "saml2_metadata"):
        endpoint = resolve(reverse(name)).func
        view = import_string(endpoint.view_class_path).as_view()
        assert getattr(endpoint, "csrf_exempt", False) == getattr(view, "csrf_exempt", False), name
