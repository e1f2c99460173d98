"""Status badges: the status in words, styled by its code (never colour alone)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(code, label):
    # A tag rather than an include: lists show one per row, and an include costs a template render each.
    return format_html('<span class="badge badge-{}">{}</span>', code, label)
