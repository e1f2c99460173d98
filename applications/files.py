"""Stored files of a case: writes that go with a transaction, and an upload kept as an attachment."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from .models import Application, Attachment, Participant


@contextmanager
def atomic_with_files() -> Iterator[list]:
    """A transaction that also removes the files it wrote if it fails: Django has no rollback hook, and
    a file without its row would be an orphan nobody can reach or delete. Each file written inside is
    appended to the yielded list as (storage, name)."""
    written: list = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def store_attachment(
    application: Application,
    upload,
    *,
    by,
    written: list,
    participant: Participant | None = None,
    description: str = "",
) -> Attachment:
    """`upload` is a validated `attachments.CheckedUpload`; `written` collects the stored file."""
    attachment = Attachment(
        application=application,
        participant=participant,
        original_name=upload.name,
        content_type=upload.content_type,
        size=upload.size,
        description=description,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload.file, save=False)
    written.append((attachment.file.storage, attachment.file.name))
    attachment.save()
    return attachment
