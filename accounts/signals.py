"""Membership changes made anywhere (services, admin) update the user's role groups."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Membership
from .roles import sync_role_groups


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    sync_role_groups(instance.user)
