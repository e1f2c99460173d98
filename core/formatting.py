"""Amounts the Finnish and Swedish way: `280 500 €`, with a no-break space between groups."""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def format_euros(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)}\xa0€"
