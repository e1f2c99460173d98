"""`manage.py backup_files ARCHIVE`: every stored file, wherever the settings keep them, into one .tar.gz."""

from django.core.management.base import BaseCommand

from core.backups import write_archive


class Command(BaseCommand):
    help = "Writes every stored file (file system or object storage) into a gzipped tar archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz to write")

    def handle(self, *, archive, **options):
        count, size = write_archive(archive)
        self.stdout.write(f"{count} files, {size} bytes in {archive}")
