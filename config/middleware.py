"""Request checks shared by every view."""

import re

from django.http import HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

# C0 control characters other than tab, newline and carriage return, and DEL: nobody types them, they
# mean nothing in a name or a text, and an XLSX cannot hold them.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InputHygieneMiddleware:
    """Answers 400 to a request whose parameters contain a NUL character, and removes the other control
    characters from every parameter before a view sees it.

    No one can type NUL into a form; it only arrives in crafted requests, and PostgreSQL refuses it in
    text and JSON columns, which would turn the request into a server error deep inside a view. The other
    control characters are quietly removed rather than refused: pasted text sometimes carries them, and
    what the user meant is the text around them (red-team finding 8: one in a project name made the
    call's XLSX export fail)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_null(request.GET) or (request.method == "POST" and self._has_null(request.POST)):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        cleaned = self._cleaned(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        if request.method == "POST":
            cleaned = self._cleaned(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return self.get_response(request)

    @staticmethod
    def _has_null(params):
        return any("\x00" in key or any("\x00" in value for value in params.getlist(key)) for key in params)

    @staticmethod
    def _cleaned(params):
        """A copy of the parameters without control characters, or None when there were none."""
        if not any(
            CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in params.getlist(key))
            for key in params
        ):
            return None
        cleaned = QueryDict(mutable=True, encoding=params.encoding)
        for key in params:
            cleaned.setlist(
                CONTROL_CHARACTERS.sub("", key), [CONTROL_CHARACTERS.sub("", v) for v in params.getlist(key)]
            )
        cleaned._mutable = False
        return cleaned


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in user sees is kept by the browser or a shared cache: every page and download
    (attachments, decision PDFs, exports, personal data) answers `Cache-Control: no-store`, so that the
    back button or the history after signing out shows nothing (red-team finding 16). Public pages keep
    their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            add_never_cache_headers(response)
        return response
