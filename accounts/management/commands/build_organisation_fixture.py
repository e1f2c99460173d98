"""Regenerates fixtures/organisations.json from the reference list of the 309 municipalities of 2022."""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

REFERENCE_CSV = Path(settings.BASE_DIR) / "fixtures" / "reference" / "municipalities_2022_details.csv"
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
        "language": "fi",
    },
}


def municipality_records(csv_path):
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for row in rows:
        code = row["code"].strip()
        if len(code) != 3 or not code.isdigit():
            raise CommandError(f"Bad municipality code {code!r} in {csv_path}")
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
                    "business_id": "",
                    # Åland's municipalities are Swedish-speaking; elsewhere an official sets the
                    # language where the reference list does not tell it.
                    "language": "sv" if row["region_fi"].strip() == "Ahvenanmaa" else "fi",
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
