"""Template context shared by every page."""

from django.conf import settings
from django.urls import translate_url


def language_alternates(request):
    """The current page in each language, for the language switcher and hreflang links."""
    path = request.get_full_path()
    return {
        "language_alternates": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ]
    }
