"""The follow-up of awarded projects: the overview with overdue reports and its CSV, one project's page,
and one small POST view per action of an official on a project (payments, changes, reports, returns,
closing). What a project page offers is what the workflow allows the user now."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from applications import rules, services
from applications.models import GrantReturn, Hearing, PaymentRequest, ReportKind
from applications.selectors import project_for_page
from applications.statemachine import Performer
from applications.workflow import allowed_actions, allows, refusal
from core.formatting import format_euros
from core.spreadsheets import csv_row

from .. import selectors
from ..forms.follow_up import (
    ChangeDecisionForm,
    HearingForm,
    MarkPaidForm,
    PastPaymentForm,
    PaymentCheckForm,
    RepaymentForm,
    ReportCheckForm,
    ReturnDecisionForm,
)
from ..mixins import ActionView, MinistryPage, RestoresKeptAction


class FollowUpView(MinistryPage, TemplateView):
    """Every awarded project by state, overdue reports, and granted vs paid vs returned per call."""

    template_name = "processing/follow_up.html"

    def rows(self):
        today = timezone.localdate()
        rows = list(selectors.follow_up_queryset())
        for row in rows:
            row.report_due = rules.project_report_due(row)
            row.report_overdue = rules.is_report_overdue(
                row, due=row.report_due, has_final_report=row.has_final_report, today=today
            )
        return rows

    def get_context_data(self, **kwargs):
        rows = self.rows()
        return super().get_context_data(
            rows=rows,
            overdue=[row for row in rows if row.report_overdue],
            historical_count=sum(1 for row in rows if row.is_historical and not row.has_final_report),
            per_call=selectors.call_money(rows),
            **kwargs,
        )


class FollowUpExportView(FollowUpView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="follow-up.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Call"),
                _("Case number"),
                _("Lead applicant"),
                _("Status"),
                _("Maximum grant (EUR)"),
                _("Paid (EUR)"),
                _("Returned (EUR)"),
                _("Use period ends"),
                _("Final report due"),
                _("Final report"),
            ]
        )
        for row in self.rows():
            end = row.decision.use_period_end
            writer.writerow(
                csv_row(
                    [
                        row.call.name,
                        row.case_number or "",
                        row.lead.name,
                        row.get_status_display(),
                        row.decision.granted_amount,
                        row.paid_total,
                        row.returned_total,
                        end,
                        row.report_due,
                        _("received")
                        if row.has_final_report
                        else (_("overdue") if row.report_overdue else ""),
                    ]
                )
            )
        return response


class ProjectCaseView(RestoresKeptAction, MinistryPage, TemplateView):
    """The officials' follow-up page of one awarded project, with every action they may take now."""

    template_name = "processing/project.html"

    def get_project(self):
        if not hasattr(self, "_project"):
            project = project_for_page(self.kwargs["pk"])
            if project is None:
                raise Http404("Not an awarded project")
            self._project = project
        return self._project

    def get_context_data(self, **bound):
        project = self.get_project()
        user = self.request.user
        final = next((r for r in project.reports.all() if r.kind == ReportKind.FINAL), None)
        until = timezone.localdate()
        to_return = interest = None
        return_problem = bound.get("return_problem")
        if final is not None and final.is_checked:
            try:
                to_return, interest = services.returnable_amount(project, until)
            except services.WorkflowError as error:
                return_problem = str(error)
        hearing = project.hearings.first()
        returns = list(project.returns.all())
        for grant_return in returns:
            grant_return.debt = services.return_debt(grant_return, until)
        payments = []
        for payment in project.payment_requests.all():
            payment.application = project
            payment.actions = allowed_actions(payment, user)
            if "approve" in payment.actions:
                payment.payable_preview = services.payable_if_approved(payment)
            form = bound.get(f"check_{payment.pk}") or PaymentCheckForm(
                lines=payment.cost_lines.all(), prefix=f"p{payment.pk}"
            )
            payments.append((payment, form))
        for item in (*project.change_requests.all(), *project.reports.all(), *returns):
            item.application = project
            item.actions = allowed_actions(item, user)
        for change in project.change_requests.all():
            change.lapse_warning = rules.appropriation_lapse_warning(project.call, change.new_use_period_end)
        officiating = project.has_follow_up and allows(
            PaymentRequest(application=project), "record_past", user
        )
        # Asked once: closing's guards read the case's reports, payments and returns.
        close_refusal = refusal(project, "close", user) if officiating else None
        return super().get_context_data(
            project=project,
            figures=rules.figures(project),
            payments=payments,
            paid_form=bound.get("paid_form") or MarkPaidForm(auto_id="id_paid_form_%s"),
            change_form=bound.get("change_form") or ChangeDecisionForm(auto_id="id_change_form_%s"),
            repayment_form=bound.get("repayment_form") or RepaymentForm(auto_id="id_repayment_form_%s"),
            past_payment_form=bound.get("past_payment_form")
            or PastPaymentForm(auto_id="id_past_payment_form_%s"),
            report_check_form=bound.get("report_check_form")
            or ReportCheckForm(auto_id="id_report_check_form_%s"),
            return_form=bound.get("return_form") or ReturnDecisionForm(auto_id="id_return_form_%s"),
            hearing_form=bound.get("hearing_form") or HearingForm(auto_id="id_hearing_form_%s"),
            hearing=hearing,
            returns=returns,
            recoverable=services.recoverable_amount(project),
            can_hear=allows(Hearing(application=project), "send", user),
            decide_refusal=refusal(GrantReturn(application=project), "decide", user, hearing=hearing),
            final_report=final,
            to_return=to_return,
            interest=interest,
            return_problem=return_problem,
            can_act=officiating,
            can_decide_return=allows(GrantReturn(application=project), "decide", user, hearing=hearing),
            can_close=officiating and close_refusal is None,
            close_refusal=close_refusal,
        )


class ProjectActionView(ActionView, ProjectCaseView):
    """An official's action on a project, or on one of its payments, changes, reports or returns (`item`:
    the project's related collection holding the target). An invalid form shows the page again."""

    performer = Performer.OFFICIAL
    item = None
    form_name = ""

    def get_subject(self):
        project = self.get_project()
        if self.item is None:
            return project
        subject = next((x for x in getattr(project, self.item).all() if x.pk == self.kwargs["target"]), None)
        if subject is None:
            raise Http404("No such item")
        subject.application = project
        return subject

    def get_form(self, subject):
        # Several forms on one page: each with ids of its own (both the past payment and the repayment
        # have an `amount`).
        if not self.form_class:
            return None
        return self.form_class(self.request.POST, auto_id=f"id_{self.form_name}_%s")

    def form_invalid(self, subject, form):
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))

    def redirect_to(self, subject):
        return reverse("processing:project", kwargs={"pk": self.get_project().pk})


class RecordPastPaymentView(ProjectActionView):
    form_class = PastPaymentForm
    form_name = "past_payment_form"

    def act(self, project, form):
        services.record_past_payment(application=project, by=self.request.user, **form.cleaned_data)
        return _("The payment was recorded.")


class HearingView(ProjectActionView):
    form_class = HearingForm
    form_name = "hearing_form"

    def act(self, project, form):
        services.send_hearing(application=project, by=self.request.user, **form.cleaned_data)
        return _("The hearing was sent to the municipality.")


class DecideReturnView(ProjectActionView):
    form_class = ReturnDecisionForm
    form_name = "return_form"

    def act(self, project, form):
        hearing = project.hearings.first()
        if hearing is None:
            raise services.WorkflowError(_("Hear the municipality first."))
        services.decide_return(
            application=project, hearing=hearing, by=self.request.user, **form.cleaned_data
        )
        return _("The return was decided.")


class CloseCaseView(ProjectActionView):
    def act(self, project, form):
        services.close_case(application=project, by=self.request.user)
        return _("The case was closed.")


class PaymentCheckView(ProjectActionView):
    item = "payment_requests"

    def get_form(self, payment):
        return PaymentCheckForm(self.request.POST, lines=payment.cost_lines.all(), prefix=f"p{payment.pk}")

    def form_invalid(self, payment, form):
        return self.render_to_response(self.get_context_data(**{f"check_{payment.pk}": form}))


class ApprovePaymentView(PaymentCheckView):
    def act(self, payment, form):
        approved = services.approve_payment(
            payment=payment,
            rejections=form.rejections(),
            note=form.cleaned_data["note"],
            by=self.request.user,
        )
        return _("A payment of %(amount)s was approved.") % {"amount": format_euros(approved.approved_amount)}


class RejectPaymentView(PaymentCheckView):
    def act(self, payment, form):
        services.reject_payment(payment=payment, note=form.cleaned_data["note"], by=self.request.user)
        return _("The payment request was rejected.")


class MarkPaidView(ProjectActionView):
    item = "payment_requests"
    form_class = MarkPaidForm
    form_name = "paid_form"

    def act(self, payment, form):
        services.mark_paid(payment=payment, by=self.request.user, **form.cleaned_data)
        return _("The payment was marked as paid.")


class DecideChangeView(ProjectActionView):
    item = "change_requests"
    form_class = ChangeDecisionForm
    form_name = "change_form"

    def act(self, change, form):
        decided = services.decide_change(change=change, by=self.request.user, **form.cleaned_data)
        warning = rules.appropriation_lapse_warning(decided.application.call, decided.decided_use_period_end)
        if warning:
            messages.warning(self.request, warning)
        return _("The change was decided.")


class CheckReportView(ProjectActionView):
    item = "reports"
    form_class = ReportCheckForm
    form_name = "report_check_form"

    def act(self, report, form):
        services.check_report(report=report, by=self.request.user, **form.cleaned_data)
        return _("The report check was saved.")


class RecordRepaymentView(ProjectActionView):
    item = "returns"
    form_class = RepaymentForm
    form_name = "repayment_form"

    def act(self, grant_return, form):
        services.record_repayment(grant_return=grant_return, by=self.request.user, **form.cleaned_data)
        return _("The repayment was recorded.")
