"""Keeps each user's Django groups and admin access in step with their ministry memberships.

Memberships are the source of truth for who may do what in the case workflow; the groups of the same
names carry the Django admin permissions, so that an official can manage municipality staff's accounts
and memberships in the admin (and nothing that would let them raise their own privileges).
"""

from django.contrib.auth.models import Group, Permission

from .models import MINISTRY_ROLES, Membership, Role

# Admin permissions each ministry role's group carries: (app label, codename).
GROUP_PERMISSIONS = {
    Role.OFFICIAL: [
        ("accounts", "view_user"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("accounts", "view_organisation"),
        ("accounts", "view_membership"),
        ("accounts", "add_membership"),
        ("accounts", "change_membership"),
        ("accounts", "delete_membership"),
    ],
    Role.REVIEWER: [],
    Role.DECISION_MAKER: [],
}


def ensure_role_groups(**kwargs):
    """Creates the role groups and gives them their permissions; run after every migrate."""
    for role, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        permissions = [
            Permission.objects.filter(content_type__app_label=app, codename=codename).first()
            for app, codename in wanted
        ]
        group.permissions.set([permission for permission in permissions if permission is not None])


def sync_role_groups(user):
    held = set(Membership.objects.filter(user=user, role__in=MINISTRY_ROLES).values_list("role", flat=True))
    for role in MINISTRY_ROLES:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role.value in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    # Officials manage accounts in the admin; superusers keep their access whatever their roles.
    is_staff = user.is_superuser or Role.OFFICIAL.value in held
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
