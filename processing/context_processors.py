"""The count of waiting work beside "My tasks" and "My cases" in the navigation, on every signed-in page.
Each count is computed only if the page shows it, and once."""

from functools import cache

from accounts.permissions import is_ministry_staff, is_municipality_staff
from applications.selectors import needs_action_count

from .selectors import desk_count


def waiting(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}

    @cache
    def for_ministry():
        return desk_count(user) if is_ministry_staff(user) else None

    @cache
    def for_municipality():
        return needs_action_count(user) if is_municipality_staff(user) else None

    return {"desk_count": for_ministry, "my_cases_count": for_municipality}
