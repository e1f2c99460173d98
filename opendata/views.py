"""Published results: a call's results page and its CSV, and 360Giving. All public, no sign-in."""

import csv
import io

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache, caches
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.text import compress_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core import spreadsheets
from core.spreadsheets import csv_row, xlsx_row
from grants.models import Call

from . import giving360
from .caching import conditional_open_data
from .selectors import call_results, published_results_version


def published_call_or_404(slug):
    call = get_object_or_404(Call.objects.public().select_related("programme"), slug=slug)
    if not call.results_published:
        raise Http404("Results not published")
    return call


# A day; any change to the results gives the page a new key at once (opendata/signals.py).
RESULTS_CACHE_SECONDS = 24 * 60 * 60


def is_plain_visitor(request):
    """No session: nobody signed in and no message waiting (messages are kept in the session). Every such
    visitor gets the same page, so the whole response can be shared."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


@method_decorator(login_not_required, name="dispatch")
class CallResultsView(TemplateView):
    """A call's published results. Plain visitors (is_plain_visitor) get the whole response from the cache,
    gzip-compressed when their browser accepts it; signed-in users get the cached content in their own
    frame. Both are keyed on the call's results_version, which any change to the results bumps."""

    template_name = "opendata/call_results.html"

    def get(self, request, *args, **kwargs):
        if not is_plain_visitor(request):
            self.call = published_call_or_404(self.kwargs["slug"])
            return super().get(request, *args, **kwargs)
        # What the key needs, and nothing else: the whole call is read only when the page is rendered.
        version = published_results_version(self.kwargs["slug"])
        if version is None:
            raise Http404("Results not published")
        compressed = "gzip" in request.headers.get("Accept-Encoding", "")
        key = "results-page:{}:{}:{}:".format(*version) + request.LANGUAGE_CODE
        wanted = f"{key}:{'gzip' if compressed else 'plain'}"
        # The version is asked of the shared cache on every request (above), so that a correction on any
        # node shows at once; the page under a version's key never changes, so once a process has it, it
        # keeps its own copy (the "pages" cache) instead of fetching the page's bytes again.
        pages = caches["pages"]
        content = pages.get(wanted)
        if content is None:
            content = cache.get(wanted)
            if content is not None:
                pages.set(wanted, content, RESULTS_CACHE_SECONDS)
        if content is None:
            self.call = published_call_or_404(self.kwargs["slug"])
            plain = super().get(request, *args, **kwargs).render().content
            # Compressed once, here, not per request. A public page holds no secret (no CSRF token, no
            # personal data), so compressing it cannot leak one (BREACH).
            gzipped = compress_string(plain)
            rendered = {f"{key}:plain": plain, f"{key}:gzip": gzipped}
            cache.set_many(rendered, RESULTS_CACHE_SECONDS)
            pages.set_many(rendered, RESULTS_CACHE_SECONDS)
            content = gzipped if compressed else plain
        response = HttpResponse(content, content_type="text/html; charset=utf-8")
        patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
        if compressed:
            response["Content-Encoding"] = "gzip"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.call
        # Lazy: computed only when the cached page (keyed on call.results_version) has to be rendered.
        results = SimpleLazyObject(lambda: call_results(call))
        # A chart of one bar saying "not published" tells nothing: left out when no award records its area.
        charts = SimpleLazyObject(
            lambda: [
                (_("By region of the lead applicant"), results.by_region()),
                *(
                    [(_("By emphasis area"), results.by_emphasis_area())]
                    if results.emphasis_areas_published
                    else []
                ),
            ]
        )
        context.update(call=call, results=results, charts=charts, cache_seconds=RESULTS_CACHE_SECONDS)
        return context


def _results_rows(call):
    """The results table's header and rows in the page's language; amounts as Decimal."""
    header = [
        _("Municipality code"),
        _("Lead applicant"),
        _("Project"),
        _("Case number"),
        _("Maximum grant (EUR)"),
    ]
    rows = [
        [
            decision.application.lead.code,
            decision.application.lead.name,
            decision.application.project_name,
            decision.application.case_number or "",
            decision.granted_amount,
        ]
        for decision in call_results(call).awards
    ]
    return header, rows


@login_not_required
def call_results_csv(request, slug):
    """The results table as CSV in the page's language; amounts as plain decimals for programs (the XLSX
    beside it opens as columns in any spreadsheet)."""
    call = published_call_or_404(slug)
    header, rows = _results_rows(call)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{call.slug}-results-{request.LANGUAGE_CODE}.csv"'
    )
    response.write("\ufeff")  # lets spreadsheet programs recognise UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(csv_row(row) for row in rows)
    return response


@login_not_required
def call_results_xlsx(request, slug):
    """The results table as a workbook: columns and numeric amounts in Finnish and Swedish Excel alike,
    where a comma-separated file opens as one column."""
    call = published_call_or_404(slug)
    header, rows = _results_rows(call)
    workbook = spreadsheets.workbook()
    sheet = workbook.create_sheet(str(_("Results"))[:31])
    sheet.append([str(title) for title in header])
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{call.slug}-results-{request.LANGUAGE_CODE}.xlsx"'
    )
    return response


@login_not_required
@conditional_open_data
def open_data_360giving(request, slug=None):
    """Every published award (or one call's) as a 360Giving 1.4 package, under CC BY 4.0."""
    call = published_call_or_404(slug) if slug else None
    title = f"360Giving: {call.name_fi}" if call else "360Giving: kuntien digitalisaatioavustukset"
    chunks = giving360.stream_package(
        giving360.published_awards(call), base_url=request.build_absolute_uri("/").rstrip("/"), title=title
    )
    response = StreamingHttpResponse(chunks, content_type="application/json")
    name = f"{call.slug}-360giving.json" if call else "360giving.json"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
