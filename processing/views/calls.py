"""Calls and their worklists: the list of calls, a call's worklist with its CSV, reviewers assigned in
bulk, the ranking by scores and the State Treasury export."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from applications import services
from applications.models import Application, ReviewAssignment, Status
from applications.statemachine import Performer
from applications.workflow import allowed_actions, allows
from core.pagination import page_of
from core.responses import Echo
from core.spreadsheets import csv_row
from grants.models import Call, CallStatus

from .. import selectors, treasury
from ..filters import MUNICIPALITY_LIST_SECONDS, PROCESSING_STATUSES, WorklistFilter
from ..forms.reviews import AssignReviewersForm, BulkAssignForm
from ..mixins import ActionView, MinistryPage

PAGE_SIZE = 50


class CallsView(MinistryPage, TemplateView):
    template_name = "processing/calls.html"

    def get_context_data(self, **kwargs):
        # Historical calls whose opening was not published are followed up, not processed, here.
        calls = list(
            Call.objects.exclude(opens_at__isnull=True, status=CallStatus.PUBLISHED).order_by(
                "-status", "-closes_at"
            )
        )
        user = self.request.user
        for call in calls:
            call.actions = allowed_actions(call, user)
        return super().get_context_data(
            calls=calls, may_create=allows(Call(), "create", user), now=timezone.now(), **kwargs
        )


class WorklistMixin(MinistryPage):
    def filterset(self):
        self.call = get_object_or_404(Call, slug=self.kwargs["slug"])
        return WorklistFilter(
            self.request.GET or None, queryset=selectors.worklist_queryset(self.call), call=self.call
        )


class WorklistView(WorklistMixin, TemplateView):
    template_name = "processing/worklist.html"

    def get_context_data(self, **kwargs):
        filterset = self.filterset()
        page = page_of(filterset.qs, PAGE_SIZE, self.request.GET.get("page"))
        for application in page:
            application.mean_score = selectors.mean_score(application)
        counts = selectors.status_counts(self.call)
        query = self.request.GET.copy()
        query.pop("page", None)
        # Whether reviewers may be assigned is the same question for every row in processing: asked once.
        may_assign = allows(
            ReviewAssignment(application=Application(call=self.call, status=Status.SUBMITTED)),
            "assign",
            self.request.user,
        )
        return super().get_context_data(
            call=self.call,
            filterset=filterset,
            page=page,
            query=query.urlencode(),
            status_counts=[(code, label, counts.get(code, 0)) for code, label in PROCESSING_STATUSES],
            total=sum(counts.values()),
            assign_form=AssignReviewersForm() if may_assign else None,
            may_assign=may_assign,
            # The filter form with its 309 municipalities is a fifth of the page: kept per query (the same
            # query gives the same form, errors included) for as long as the lists in it.
            filter_form_seconds=MUNICIPALITY_LIST_SECONDS,
            **kwargs,
        )


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
                submitted = application.submitted_at
                yield writer.writerow(
                    csv_row(
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
                            timezone.localtime(submitted).strftime("%d.%m.%Y %H:%M") if submitted else "",
                        ]
                    )
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.call.slug}-worklist.csv"'
        return response


class BulkAssignView(ActionView, View):
    performer = Performer.OFFICIAL

    def get_subject(self):
        return get_object_or_404(Call, slug=self.kwargs["slug"])

    def get_form(self, call):
        queryset = Application.objects.filter(call=call, status=Status.SUBMITTED)
        return BulkAssignForm(self.request.POST, queryset=queryset)

    def act(self, call, form):
        count = services.assign_reviewers(
            applications=form.cleaned_data["applications"],
            reviewers=form.cleaned_data["reviewers"],
            by=self.request.user,
            due_date=form.cleaned_data["due_date"],
        )
        return ngettext(
            "%(count)s reviewer assignment was made.", "%(count)s reviewer assignments were made.", count
        ) % {"count": count}

    def redirect_to(self, call):
        return call_url("processing:worklist", call)


def call_url(name, call):
    return reverse(name, kwargs={"slug": call.slug})


class RankingView(MinistryPage, TemplateView):
    template_name = "processing/ranking.html"

    def get_context_data(self, **kwargs):
        call = get_object_or_404(Call, slug=self.kwargs["slug"])
        return super().get_context_data(
            call=call, rows=selectors.ranking(call), approved_total=services.approved_total(call), **kwargs
        )


class TreasuryExportView(MinistryPage, View):
    """The call's decided applications for the State Treasury's grant data store, as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        call = get_object_or_404(Call, slug=kwargs["slug"])
        base_url = request.build_absolute_uri("/").rstrip("/")
        if kwargs["format"] == "xlsx":
            response = HttpResponse(
                treasury.as_xlsx(call, base_url),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(treasury.as_csv(call, base_url), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{call.slug}-valtiokonttori.{kwargs["format"]}"'
        )
        return response
