"""`{{ amount|euros }}`: amounts the Finnish and Swedish way (core.formatting)."""

from django import template

from core.formatting import format_euros

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)
