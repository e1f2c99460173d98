"""Columns of the admin's lists: amounts in euros the Finnish and Swedish way ("5 000 000,00 €"), not as
the raw decimal ("5000000,00") the admin shows by default."""

from django.contrib import admin

from .formatting import format_euros


def euros(model, field: str):
    """A list column showing `model.field` in euros, sorted by the field, headed by its verbose name."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        return format_euros(value) if value is not None else "–"

    column.__name__ = f"{field}_in_euros"
    return column
