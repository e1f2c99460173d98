"""Backups: scripts/backup.sh dumps the database with pg_dump and copies every stored file, from MEDIA_ROOT or
from the object storage bucket, into a .tar.gz; scripts/restore-check.sh restores the dump into a scratch
database, finds every table with the same rows and no migration missing, and every file that the restored
database refers to in the archive; `manage.py restore_files` puts lost files back."""

import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from applications.models import Attachment
from tests.applications.test_attachments import SAMPLES, upload
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url():
    params = connection.settings_dict
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{params['USER']}@{host}/{params['NAME']}"


def operator(command, **env):
    """A command as an operator runs it: in the project folder, with a node's settings (not the tests')
    and environment."""
    return subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database_url(),
            "PYTHON": sys.executable,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def run(script, *args, **env):
    return operator(["bash", str(settings.BASE_DIR / "scripts" / script), *map(str, args)], **env)


def manage(*args, **env):
    return operator([sys.executable, "manage.py", *map(str, args)], **env)


def backed_up(folder, **env):
    backup = run("backup.sh", folder, **env)
    assert backup.returncode == 0, backup.stderr
    dump, files = backup.stdout.split()
    assert dump.endswith(".dump") and os.path.getsize(dump) > 0
    assert files.endswith(".tar.gz")
    return dump, files


def archived(files):
    with tarfile.open(files) as archive:
        return {member.name: archive.extractfile(member).read() for member in archive if member.isfile()}


def test_a_backup_restores_with_every_row_and_every_file(published_2022, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    attachment = Attachment.objects.create(
        application=published_2022.applications.order_by("pk").first(),
        file=ContentFile(SAMPLES["plan.pdf"], name="plan.pdf"),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=len(SAMPLES["plan.pdf"]),
        uploaded_by=UserFactory(),
    )

    dump, files = backed_up(tmp_path / "backups", DJANGO_MEDIA_ROOT=settings.MEDIA_ROOT)
    assert archived(files) == {attachment.file.name: SAMPLES["plan.pdf"]}

    check = run("restore-check.sh", dump, files)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "restore check passed" in check.stdout
    rows = int(check.stdout.split(" rows")[0].rsplit(" ", 1)[1])
    assert rows > 309  # at least the municipalities
    assert "files check passed: all 1 files the database refers to" in check.stdout


def test_the_check_notices_a_dump_that_lacks_rows(published_2022, tmp_path):
    dump, _ = backed_up(tmp_path)
    from tests.factories import OrganisationFactory

    OrganisationFactory()  # a row the dump does not have
    check = run("restore-check.sh", dump)
    assert check.returncode == 1
    assert "row counts differ" in check.stderr
    assert "accounts_organisation" in check.stderr


def test_the_bucket_is_backed_up_and_a_lost_file_restored(object_storage, draft, people, client, tmp_path):
    server, bucket = object_storage
    client.force_login(people["lead"])
    upload(client, draft, "plan.pdf", SAMPLES["plan.pdf"])
    first = Attachment.objects.get()

    _, files = backed_up(tmp_path)  # the bucket's variables are in the environment (object_storage)
    assert archived(files) == {first.file.name: SAMPLES["plan.pdf"]}
    assert server.keys(bucket) == [first.file.name]

    # A file uploaded after the backup is not in it, and the check against the database says which.
    upload(client, draft, "later.pdf", SAMPLES["plan.pdf"])
    later = Attachment.objects.exclude(pk=first.pk).get()
    with pytest.raises(CommandError, match="1 of 2 files the database refers to are not in the archive"):
        call_command("restore_files", files, check=True)

    # The bucket loses the first file; the archive puts it back, and the view serves it again.
    server.client().delete_object(Bucket=bucket, Key=first.file.name)
    restored = manage("restore_files", files)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == "1 files restored, 0 already there"
    assert server.keys(bucket) == sorted([first.file.name, later.file.name])
    download = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": first.pk})
    assert b"".join(client.get(download).streaming_content) == SAMPLES["plan.pdf"]
