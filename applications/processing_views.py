"""The officials' side: the worklist of a call, its CSV export, and the case page with internal comments.

Every URL here answers 404 to anyone who does not process applications, signed in or not, so that
the officials' pages do not reveal themselves."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import can_process_applications
from grants.models import Call

from . import selectors, services, workflow
from .filters import PROCESSING_STATUSES, WorklistFilter

PAGE_SIZE = 50


class CommentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Internal comment"), max_length=5000, widget=forms.Textarea)


@method_decorator(login_not_required, name="dispatch")
class ProcessingMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_process_applications(request.user):
            raise Http404("Not found")
        return super().dispatch(request, *args, **kwargs)


class CallsView(ProcessingMixin, TemplateView):
    template_name = "processing/calls.html"

    def get_context_data(self, **kwargs):
        calls = Call.objects.exclude(opens_at__isnull=True).order_by("-closes_at")
        return super().get_context_data(calls=calls, **kwargs)


class WorklistMixin(ProcessingMixin):
    def filterset(self):
        self.call = get_object_or_404(Call, slug=self.kwargs["slug"])
        return WorklistFilter(
            self.request.GET or None, queryset=selectors.worklist_queryset(self.call), call=self.call
        )


class WorklistView(WorklistMixin, TemplateView):
    template_name = "processing/worklist.html"

    def get_context_data(self, **kwargs):
        filterset = self.filterset()
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        counts = selectors.status_counts(self.call)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            call=self.call,
            filterset=filterset,
            page=page,
            query=query.urlencode(),
            status_counts=[(code, label, counts.get(code, 0)) for code, label in PROCESSING_STATUSES],
            total=sum(counts.values()),
            **kwargs,
        )


class Echo:
    def write(self, value):
        return value


class WorklistExportView(WorklistMixin, View):
    """The filtered worklist as CSV, streamed so that memory stays flat however many rows."""

    def get(self, request, *args, **kwargs):
        filterset = self.filterset()
        rows = filterset.qs.iterator(chunk_size=500)
        writer = csv.writer(Echo())
        header = [
            _("Case number"),
            _("Project name"),
            _("Lead applicant"),
            _("Municipality code"),
            _("Region"),
            _("Participating municipalities"),
            _("Emphasis area"),
            _("Requested grant (EUR)"),
            _("Status"),
            _("Submitted"),
        ]

        def lines():
            yield "\ufeff" + writer.writerow(header)
            for application in rows:
                yield writer.writerow(
                    [
                        application.case_number or "",
                        application.project_name,
                        application.lead.name,
                        application.lead.code,
                        application.lead.region,
                        application.partner_count,
                        application.emphasis_area.number if application.emphasis_area else "",
                        f"{application.requested_amount:.2f}"
                        if application.requested_amount is not None
                        else "",
                        application.get_status_display(),
                        timezone.localtime(application.submitted_at).strftime("%d.%m.%Y %H:%M")
                        if application.submitted_at
                        else "",
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.call.slug}-worklist.csv"'
        return response


class CaseView(ProcessingMixin, TemplateView):
    template_name = "processing/case.html"

    def get_application(self):
        application = selectors.case_for_officials(self.kwargs["pk"])
        if application is None:
            raise Http404("No such application")
        return application

    def get_context_data(self, comment_form=None, **kwargs):
        application = self.get_application()
        return super().get_context_data(
            application=application,
            budget_total=workflow.budget_total(application),
            max_grant=workflow.max_grant(application),
            events=application.events.all(),
            comments=application.internal_comments.all(),
            comment_form=comment_form or CommentForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(comment_form=form))
        services.add_internal_comment(
            application=application, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("The comment was saved."))
        return redirect("processing:case", pk=application.pk)
