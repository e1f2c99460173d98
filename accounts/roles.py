"""Keeps each user's Django groups in step with their ministry memberships.

Memberships are the source of truth for who may do what in the case workflow; the groups of the same
names carry the Django admin permissions, so that an official sees the admin pages an official needs.
"""

from django.contrib.auth.models import Group

from .models import MINISTRY_ROLES, Membership


def sync_role_groups(user):
    held = set(Membership.objects.filter(user=user, role__in=MINISTRY_ROLES).values_list("role", flat=True))
    for role in MINISTRY_ROLES:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role.value in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
