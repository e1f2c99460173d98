"""Template context about the signed-in user's roles, shared by every page."""

from django.conf import settings

from .permissions import can_process_applications, is_reviewer


def roles(request):
    # A request refused before authentication (an unknown Host header) has no user yet.
    user = getattr(request, "user", None)
    return {
        "can_process": can_process_applications(user),
        "is_reviewer": is_reviewer(user),
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
