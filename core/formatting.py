"""Amounts and rates the Finnish and Swedish way: `280 500 €` and `7,50 %`, with no-break spaces."""

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


def format_percent(value: object) -> str:
    """`7,50 %` in Finnish and Swedish text (never `7.50 %`), two decimals, a no-break space before %."""
    return f"{number_format(Decimal(value), decimal_pos=2, use_l10n=True)}\xa0%"  # type: ignore[arg-type]
