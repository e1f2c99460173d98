"""Responses for generated files: PDF downloads and streamed CSV."""

from django.http import HttpResponse


def pdf_response(content, filename):
    """A PDF as a download that browsers must not sniff into something else."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class Echo:
    """A file-like object whose write() returns what it is given: csv.writer over it yields rows to stream."""

    def write(self, value):
        return value
