"""Backups of the stored files (uploaded attachments, commitment documents, archived decision documents),
wherever Django's default storage keeps them: under MEDIA_ROOT, or in the object storage bucket that several
application nodes share (config/storage.py). The database has its own backup (scripts/backup.sh, pg_dump).

A backup is one gzipped tar of every stored file under its stored name, made through the storage API, so the
same commands serve both; a restore puts the files back under the same names. The restore check proves that
every file a restored database refers to is in the archive (scripts/restore-check.sh)."""

import os
import posixpath
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models


def stored_names(folder: str = "") -> Iterator[str]:
    """Every file in the default storage, depth first, in name order."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT before the first upload
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from stored_names(posixpath.join(folder, sub))


def write_archive(path: str) -> tuple[int, int]:
    """Writes every stored file into a gzipped tar at `path` (first under a temporary name, so that a
    backup cut short leaves no archive that looks whole); returns (files, bytes)."""
    partial = f"{path}.partial"
    count = size = 0
    with tarfile.open(partial, "w:gz") as archive:
        for name in stored_names():
            with default_storage.open(name, "rb") as stored:
                member = tarfile.TarInfo(name)
                member.size = default_storage.size(name)
                member.mtime = int(default_storage.get_modified_time(name).timestamp())
                archive.addfile(member, stored)
            count += 1
            size += member.size
    os.replace(partial, path)
    return count, size


def referenced_files() -> Iterator[tuple[str, str]]:
    """(model and field, stored name) of every file the database refers to, for every file field of every
    model, so that a new one is covered without a change here."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = (
                    model._default_manager.exclude(**{f"{field.name}__isnull": True})
                    .exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                )
                label = f"{model._meta.label}.{field.name}"
                for name in names.iterator():
                    yield label, name


@dataclass
class Check:
    referenced: int
    missing: list[tuple[str, str]]


def check_archive(path: str) -> Check:
    """Reads the whole archive (a damaged one fails here) and finds what the database refers to and the
    archive lacks."""
    with tarfile.open(path, "r:gz") as archive:
        archived = {member.name for member in archive if member.isfile()}
    referenced = list(referenced_files())
    return Check(len(referenced), [(label, name) for label, name in referenced if name not in archived])


def restore_archive(path: str) -> tuple[int, int]:
    """Puts the archived files back into the default storage under their names; a file that is there
    already is left as it is (stored files are never overwritten). Returns (restored, already there)."""
    restored = present = 0
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            content = archive.extractfile(member) if member.isfile() else None
            if content is None:
                continue
            if default_storage.exists(member.name):
                present += 1
                continue
            # The storage refuses names that would leave it (absolute, "..").
            saved = default_storage.save(member.name, File(content, name=member.name))
            if saved != member.name:
                raise RuntimeError(f"{member.name} was stored as {saved}")
            restored += 1
    return restored, present
