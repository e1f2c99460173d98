"""Template context about the signed-in user's roles, shared by every page."""

from django.conf import settings

from .permissions import can_process_applications, is_reviewer


def roles(request):
    return {
        "can_process": can_process_applications(request.user),
        "is_reviewer": is_reviewer(request.user),
        "session_seconds": settings.SESSION_COOKIE_AGE,
    }
