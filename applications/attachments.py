"""Checks an uploaded file before it is stored: allowed type judged by its content, not its name, and size."""

import os
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
