"""`{{ amount|euros }}`: amounts the Finnish and Swedish way (core.formatting)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from core.formatting import format_euros, format_moment

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)


@register.filter
def share_of(percent, total):
    """`{{ participant.share_percent|share_of:budget_total|euros }}`: a share of the costs in euros, to the
    cent; empty when either is unknown."""
    if percent is None or total is None:
        return ""
    return (Decimal(percent) * Decimal(total) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@register.filter
def moment(value):
    """`{{ submitted_at|moment }}`: "30.1.2027 klo 16.15", "30.1.2027 kl. 16.15"; Helsinki time."""
    return format_moment(value)
