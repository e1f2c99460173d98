"""`manage.py restore_files ARCHIVE`: puts the files of a backup_files archive back into the storage.
`--check` restores nothing: it proves that every file the database refers to is in the archive."""

from django.core.management.base import BaseCommand, CommandError

from core.backups import check_archive, restore_archive


class Command(BaseCommand):
    help = "Restores a backup_files archive into the storage, or with --check proves it holds every file."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by backup_files")
        parser.add_argument(
            "--check", action="store_true", help="restore nothing; check the archive against the database"
        )

    def handle(self, *, archive, check, **options):
        if check:
            result = check_archive(archive)
            if result.missing:
                for label, name in result.missing:
                    self.stderr.write(f"missing: {name} ({label})")
                raise CommandError(
                    f"files check FAILED: {len(result.missing)} of {result.referenced} files the database "
                    "refers to are not in the archive"
                )
            self.stdout.write(f"files check passed: all {result.referenced} files the database refers to")
            return
        restored, present = restore_archive(archive)
        self.stdout.write(f"{restored} files restored, {present} already there")
