"""Validators and generators of identifiers on legal documents, with python-stdnum (never by hand)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban, iso11649
from stdnum.iso7064 import mod_97_10


def validate_iban(value):
    if value and not iban.is_valid(value):
        raise ValidationError(_("Enter a valid IBAN, for example FI21 1234 5600 0007 85."), code="invalid")


def creditor_reference(base: str) -> str:
    """The international RF creditor reference (ISO 11649) for `base` (digits and letters, at most 21),
    grouped in fours as banks print it. Finnish banks accept RF references in every payment."""
    check = mod_97_10.calc_check_digits(base + "RF")
    reference = f"RF{check}{base}"
    if not iso11649.is_valid(reference):
        raise ValueError(base)
    return iso11649.format(reference)
