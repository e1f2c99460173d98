"""Amounts and rates the Finnish and Swedish way: `280 500 €` and `7,50 %`, with no-break spaces."""

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language


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


# A moment as Finnish and Swedish texts write it: "30.1.2027 klo 16.15", "30.1.2027 kl. 16.15" (Kotus and
# Institutet för de inhemska språken recommend a full stop between hours and minutes); English keeps 16:15.
MOMENT_FORMATS = {"fi": r"j.n.Y \k\l\o G.i", "sv": r"j.n.Y \k\l. G.i"}


def format_moment(value) -> str:
    """A date and time in Helsinki time, in the current language's way."""
    if value is None or value == "":
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(moment, MOMENT_FORMATS.get(get_language() or "", "j.n.Y H:i"))
