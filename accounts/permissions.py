"""Who a user is in the case workflow: staff of which municipalities, which ministry roles."""

from .models import MINISTRY_ROLES, Membership, Role


def _memberships(user):
    # Cached on the user object, which lives for one request, so that permission checks in a page
    # cost one query however many rows they guard.
    if not getattr(user, "is_authenticated", False):
        return ()
    if not hasattr(user, "_membership_cache"):
        rows = tuple(
            Membership.objects.filter(user=user)
            .order_by()
            .values_list("organisation_id", "role", "main_user")
        )
        user._membership_cache = tuple((organisation, role) for organisation, role, _ in rows)
        user._main_user_of = frozenset(organisation for organisation, role, main in rows if main)
    return user._membership_cache


def municipality_ids(user):
    """The municipalities whose staff the user is."""
    return {organisation for organisation, role in _memberships(user) if role == Role.APPLICANT}


def main_user_of(user):
    """The municipalities whose main user the user is (they may invite its staff)."""
    _memberships(user)
    return getattr(user, "_main_user_of", frozenset())


def has_role(user, role):
    return any(held == role for _, held in _memberships(user))


def is_official(user):
    return has_role(user, Role.OFFICIAL) or getattr(user, "is_superuser", False)


def is_ministry_staff(user):
    return getattr(user, "is_superuser", False) or any(
        role in MINISTRY_ROLES for _, role in _memberships(user)
    )


def is_municipality_staff(user):
    return bool(municipality_ids(user))


def can_process_applications(user):
    """Officials and decision-makers work through the submitted applications of every call."""
    return (
        getattr(user, "is_superuser", False)
        or has_role(user, Role.OFFICIAL)
        or has_role(user, Role.DECISION_MAKER)
    )


def is_decision_maker(user):
    return has_role(user, Role.DECISION_MAKER) or getattr(user, "is_superuser", False)


def is_reviewer(user):
    return has_role(user, Role.REVIEWER)
