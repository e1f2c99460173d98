"""Template context about the signed-in user's roles, shared by every page."""

from .permissions import can_process_applications, is_official, is_reviewer, main_user_of
from .sessions import idle_seconds_left


def roles(request):
    # A request refused before authentication (an unknown Host header) has no user yet.
    user = getattr(request, "user", None)
    return {
        "can_process": can_process_applications(user),
        "is_reviewer": is_reviewer(user),
        "may_invite": _may_invite(user),
        "session_seconds": idle_seconds_left(request),
    }


def _may_invite(user):
    return getattr(user, "is_authenticated", False) and (is_official(user) or bool(main_user_of(user)))
