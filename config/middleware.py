"""Request checks shared by every view."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string


class RejectNullCharactersMiddleware:
    """Answers 400 to a request whose parameters contain a NUL character.

    No one can type NUL into a form; it only arrives in crafted requests, and PostgreSQL refuses it in
    text and JSON columns, which would turn the request into a server error deep inside a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_null(request.GET) or (request.method == "POST" and self._has_null(request.POST)):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)

    @staticmethod
    def _has_null(params):
        return any("\x00" in key or any("\x00" in value for value in params.getlist(key)) for key in params)
