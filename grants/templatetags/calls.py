"""How a call's dates are shown: in Helsinki time, and without a time of day that was never published."""

from django import template
from django.utils import formats, timezone

from core.formatting import format_moment

register = template.Library()


@register.filter
def closing(call):
    """ "25.4.2022" for a historical call whose closing time was not published, else "30.4.2026 16:15"."""
    moment = timezone.localtime(call.closes_at)
    if not call.closing_time_published:
        return formats.date_format(moment.date(), "j.n.Y")
    return format_moment(moment)
