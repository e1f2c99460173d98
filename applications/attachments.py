"""Checks an uploaded file before it is stored: allowed type judged by its content, not its name, and size."""

import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from . import scanning

# extension -> (the type the content must be detected as, the MIME type we serve it with)
ALLOWED_TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "png": ("png", "image/png"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG"
# Enough for filetype to see into OOXML and ODF containers.
SNIFF_BYTES = 8192
# OOXML and ODF files are zip archives; one that unpacks to far more than a real document is a zip bomb
# that would exhaust whoever opens it (a reviewer's office program, an indexer). Real documents of the
# upload limit unpack to a few tens of MB, with a ratio well under 100; text compresses to about 1:10.
ARCHIVE_TYPES = {"docx", "xlsx", "odt", "ods"}
ARCHIVE_MAX_ENTRIES = 2000
ARCHIVE_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100


@dataclass(frozen=True)
class CheckedUpload:
    file: object
    name: str
    content_type: str
    size: int


def clean_file_name(name):
    base = os.path.basename(name.replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    stem = get_valid_filename(stem or "file")[:150] if stem else "file"
    return f"{stem}.{extension.lower()}" if dot else stem


def check_upload(upload) -> CheckedUpload:
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    name = clean_file_name(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    expected = ALLOWED_TYPES.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed types: %(types)s.") % {"types": ALLOWED_LABEL},
            code="type",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    detected = filetype.guess(head)
    if detected is None or detected.extension != expected[0]:
        raise ValidationError(
            _("The file's content is not a %(type)s file, although its name says so.")
            % {"type": extension.upper()},
            code="content",
        )
    if expected[0] in ARCHIVE_TYPES:
        check_archive(upload, extension)
    try:
        found = scanning.scan(upload)
    except scanning.ScannerUnavailable:
        raise ValidationError(
            _("The file could not be checked for viruses just now. Try again in a moment."), code="scan"
        ) from None
    if found:
        raise ValidationError(
            _("The file contains malware (%(name)s) and was not saved.") % {"name": found}, code="malware"
        )
    return CheckedUpload(file=upload, name=name, content_type=expected[1], size=upload.size)


def check_archive(upload, extension):
    """Refuse an office archive with too many entries, too much unpacked content, or an entry that
    inflates more than ARCHIVE_MAX_RATIO times: read from the archive's directory, nothing is unpacked."""
    refused = ValidationError(
        _("The %(type)s file is not a valid document: its packed content is unusually large.")
        % {"type": extension.upper()},
        code="archive",
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("The file's content is not a %(type)s file, although its name says so.")
            % {"type": extension.upper()},
            code="content",
        ) from None
    finally:
        upload.seek(0)
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise refused
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > ARCHIVE_MAX_UNPACKED_BYTES:
        raise refused
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > ARCHIVE_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise refused
