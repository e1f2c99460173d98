"""The awarded project's follow-up for the municipalities, one small POST view per action of theirs."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import municipality_ids
from core.responses import pdf_response

from .. import permissions, rules, selectors, services, workflow
from ..forms import (
    ChangeRequestForm,
    HearingAnswerForm,
    JoiningForm,
    PaymentRequestForm,
    ReportForm,
)
from ..models import ChangeStatus, Hearing, IssuedDocument, PaymentRequest
from .base import ApplicantAction, ApplicationMixin


class ProjectView(ApplicationMixin, TemplateView):
    """The awarded project's follow-up for the municipalities: what was granted and paid, what is still
    available, the reports due; the lead's staff request payments and changes and submit reports, and a
    municipality named in a change of participants confirms or declines joining."""

    template_name = "applications/project.html"
    ACTIONS = ("payment", "change", "report")

    def get_project(self):
        if not hasattr(self, "_project"):
            self.get_application()  # 404 unless the user may see the case
            project = selectors.project_for_page(self.kwargs["pk"])
            if project is None:
                raise Http404("Not an awarded project")
            self._project = project
        return self._project

    def make_form(self, action, project, data=None, files=None):
        # Three forms on one page: each has ids of its own (the change and report forms both have `kind`).
        if action == "payment":
            return PaymentRequestForm(data, files, auto_id="id_payment_%s")
        if action == "change":
            return ChangeRequestForm(data, budget_lines=project.budget_lines.all(), auto_id="id_change_%s")
        if action == "report":
            return ReportForm(data, auto_id="id_report_%s")
        return {"joining": JoiningForm, "hearing": HearingAnswerForm}[action](data)

    def joining_participant(self, project):
        """The user's municipality's row when a pending change of participants names it."""
        own = municipality_ids(self.request.user)
        pending = {
            c.new_participant_id for c in project.change_requests.all() if c.status == ChangeStatus.PENDING
        }
        return next(
            (
                p
                for p in project.participants.all()
                if p.organisation_id in own and p.organisation_id in pending
            ),
            None,
        )

    def get_context_data(self, **bound):
        project = self.get_project()
        # The lead's staff act on the project while the workflow lets them request a payment.
        acting = workflow.allows(PaymentRequest(application=project), "request", self.request.user)
        forms_ = {}
        if acting:
            forms_ = {
                f"{action}_form": bound.get(f"{action}_form") or self.make_form(action, project)
                for action in self.ACTIONS
            }
        joining = self.joining_participant(project)
        hearing = project.hearings.first()
        if hearing is not None:
            hearing.application = project
        can_answer = hearing is not None and workflow.allows(hearing, "answer", self.request.user)
        return super().get_context_data(
            hearing=hearing,
            hearing_form=(bound.get("hearing_form") or HearingAnswerForm()) if can_answer else None,
            **self.page_context(),
            project=project,
            figures=rules.figures(project),
            can_act=acting,
            joining=joining,
            joining_form=bound.get("joining_form") or JoiningForm() if joining else None,
            municipality_options=selectors.municipality_options() if acting else [],
            **forms_,
        )


class ProjectActionView(ApplicantAction, ProjectView):
    """One action of a municipality on its project: validate, call one service, back to the project. An
    invalid form shows the page again with its errors; the workflow refuses anyone else."""

    page = "project"

    def get_subject(self):
        return self.get_project()

    def refuse(self, subject):
        if self.action:  # a step of the subject's own
            return super().refuse(subject)
        self.require(permissions.is_lead_staff(self.request.user, self.get_project()))
        return None

    def get_form(self, project):
        return self.make_form(self.form_name, project, self.request.POST, self.request.FILES)

    def form_invalid(self, subject, form):
        return self.render_to_response(self.get_context_data(**{f"{self.form_name}_form": form}))


class RequestPaymentView(ProjectActionView):
    form_name = "payment"

    def act(self, project, form):
        data = form.cleaned_data
        services.request_payment(
            application=project,
            period_start=data["period_start"],
            period_end=data["period_end"],
            costs=form.costs(),
            ledger=data["ledger"],
            is_final=data["is_final"],
            by=self.request.user,
        )
        return _("The payment request was sent to the ministry.")


class RequestChangeView(ProjectActionView):
    form_name = "change"

    def act(self, project, form):
        services.request_change(application=project, by=self.request.user, **form.service_arguments())
        return _("The change request was sent to the ministry.")


class SubmitReportView(ProjectActionView):
    form_name = "report"

    def act(self, project, form):
        services.submit_report(application=project, by=self.request.user, **form.cleaned_data)
        return _("The report was sent to the ministry.")


class AnswerJoiningView(ProjectActionView):
    """A municipality named in a pending change of participants confirms or declines joining."""

    form_name = "joining"

    def refuse(self, project):
        self.require(self.joining_participant(project) is not None)
        return None

    def act(self, project, form):
        services.respond_to_joining(
            application=project,
            confirm=form.cleaned_data["answer"] == "confirm",
            participant=self.joining_participant(project),
            by=self.request.user,
        )
        return _("Your answer was saved.")


class AnswerHearingView(ProjectActionView):
    """The lead's staff answer the ministry's hearing before a return or recovery decision."""

    action = "answer"
    form_name = "hearing"

    def get_subject(self):
        project = self.get_project()
        # Only the lead's staff answer (403 to others who see the case), whether or not one was sent.
        self.require(workflow.performs(Hearing(application=project), self.action, self.request.user))
        hearing = project.hearings.first()
        if hearing is None:
            raise Http404("No hearing")
        hearing.application = project
        return hearing

    def act(self, hearing, form):
        services.answer(hearing, answer=form.cleaned_data["answer"], by=self.request.user)
        return _("Your answer was sent to the ministry.")


class FollowUpDecisionPdfView(ApplicationMixin, View):
    """The decision on a change request or a return, as archived when it was issued, for everyone who
    may see the case. It is never regenerated."""

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        links = (
            {"change_id": kwargs["item"]}
            if kwargs["kind"] == "changes"
            else {"grant_return_id": kwargs["item"]}
        )
        document = get_object_or_404(IssuedDocument, application=application, **links)
        with document.pdf.open("rb") as archived:
            content = archived.read()
        name = (application.case_number or str(application.pk)).replace("/", "-")
        return pdf_response(content, f"{document.kind}-decision-{name}-{kwargs['item']}.pdf")
