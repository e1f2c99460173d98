"""Peak memory of the 360Giving export of every award, read to the end as a client would (bench/run.py)."""

import json
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.test import RequestFactory  # noqa: E402

from opendata.views import open_data_360giving  # noqa: E402


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


request = RequestFactory().get("/open-data/360giving.json", HTTP_HOST="127.0.0.1")
request.LANGUAGE_CODE = "fi"  # as LocaleMiddleware leaves it (the export's ETag differs per language)
before = rss_mb()
response = open_data_360giving(request)
size, grants = 0, 0
for chunk in response.streaming_content if response.streaming else [response.content]:
    size += len(chunk)
    grants += chunk.count(b'"awardDate"')
print(
    json.dumps(
        {
            "grants": grants,
            "megabytes": size / 2**20,
            "peak_rss_mb": rss_mb(),
            "growth_mb": rss_mb() - before,
        }
    )
)
