"""Regenerates fixtures/organisations.json from the reference list of the 309 municipalities of 2022."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import default_language

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"
REFERENCE_CSV = REFERENCE / "municipalities_2022_details.csv"
# Statistics Finland's language status (kielisuhde) of each municipality, and the Business IDs; both keyed
# by municipality code (provenance in fixtures/README.md).
LANGUAGE_CSV = REFERENCE / "municipalities_2022_language.csv"
BUSINESS_ID_CSV = REFERENCE / "municipalities_2022_business_ids.csv"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "organisations.json"

# Primary keys are stable so that other fixtures can point at them: the ministry is 1, and a
# municipality is 1000 + its code (Espoo, 049, is 1049).
MINISTRY = {
    "model": "accounts.organisation",
    "pk": 1,
    "fields": {
        "kind": "ministry",
        "code": None,
        "name_fi": "Valtiovarainministeriö",
        "name_sv": "Finansministeriet",
        "name_en": "Ministry of Finance",
        "region_fi": "",
        "region_sv": "",
        "business_id": "",
        "language_status": None,
        "language": "fi",
    },
}


def by_code(csv_path, column):
    with open(csv_path, encoding="utf-8", newline="") as handle:
        return {row["code"].strip(): row[column].strip() for row in csv.DictReader(handle)}


def municipality_records(csv_path, language_path=LANGUAGE_CSV, business_id_path=BUSINESS_ID_CSV):
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    statuses = by_code(language_path, "language_status")
    business_ids = by_code(business_id_path, "business_id")
    records = []
    for row in rows:
        code = row["code"].strip()
        if len(code) != 3 or not code.isdigit():
            raise CommandError(f"Bad municipality code {code!r} in {csv_path}")
        if statuses.get(code, "") not in {"0", "1", "2", "3"}:
            raise CommandError(f"No language status for municipality {code} in {language_path}")
        status = int(statuses[code])
        records.append(
            {
                "model": "accounts.organisation",
                "pk": 1000 + int(code),
                "fields": {
                    "kind": "municipality",
                    "code": code,
                    "name_fi": row["name_fi"].strip(),
                    "name_sv": row["name_sv"].strip() or row["name_fi"].strip(),
                    "name_en": "",
                    "region_fi": row["region_fi"].strip(),
                    "region_sv": row.get("region_sv", "").strip(),
                    # Left empty where the sources disagree: an official fills it in from YTJ.
                    "business_id": business_ids.get(code, ""),
                    "language_status": status,
                    "language": default_language(status),
                },
            }
        )
    codes = [record["fields"]["code"] for record in records]
    if len(codes) != len(set(codes)):
        raise CommandError(f"Duplicate municipality codes in {csv_path}")
    return records


class Command(BaseCommand):
    help = (
        "Regenerate fixtures/organisations.json (the ministry and every municipality) from the reference CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv", dest="csv_path", default=str(REFERENCE_CSV), help="The reference CSV to read."
        )
        parser.add_argument("--output", default=str(FIXTURE), help="Where to write the fixture.")

    def handle(self, *args, csv_path, output, **options):
        records = [MINISTRY, *municipality_records(csv_path)]
        Path(output).write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {len(records) - 1} municipalities and the ministry to {output}")
