"""Keeps the worklist's cached municipality and region lists (processing.filters) true to the data."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Organisation

from .filters import forget_municipality_lists


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    forget_municipality_lists()
