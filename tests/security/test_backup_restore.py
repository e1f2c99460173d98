"""Backups: scripts/backup.sh dumps the database with pg_dump, and scripts/restore-check.sh restores the dump
into a scratch database and finds every table with the same rows and no migration missing."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url():
    params = connection.settings_dict
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{params['USER']}@{host}/{params['NAME']}"


def run(script, *args, **env):
    return subprocess.run(
        ["bash", str(settings.BASE_DIR / "scripts" / script), *map(str, args)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_with_every_row(published_2022, tmp_path):
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "a.pdf").write_bytes(b"%PDF-1.7")
    backup = run("backup.sh", tmp_path / "backups", DJANGO_MEDIA_ROOT=str(media))
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip()
    assert dump.endswith(".dump") and os.path.getsize(dump) > 0
    assert len(list((tmp_path / "backups").glob("media-*.tar.gz"))) == 1

    check = run("restore-check.sh", dump)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "restore check passed" in check.stdout
    rows = int(check.stdout.split(" rows")[0].rsplit(" ", 1)[1])
    assert rows > 309  # at least the municipalities


def test_the_check_notices_a_dump_that_lacks_rows(published_2022, tmp_path):
    dump = run("backup.sh", tmp_path).stdout.strip()
    from tests.factories import OrganisationFactory

    OrganisationFactory()  # a row the dump does not have
    check = run("restore-check.sh", dump)
    assert check.returncode == 1
    assert "row counts differ" in check.stderr
    assert "accounts_organisation" in check.stderr
