"""Model fields shared by the apps."""

from django.db import models


def money_field(verbose_name, **kwargs):
    """Euros and cents; never a float."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)
