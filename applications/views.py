"""The applicant's pages. Views stay thin: load what the user may see (404 otherwise), check the action,
validate a form, call one service, add a message and redirect."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from grants.models import Call

from . import followup, permissions, selectors, services, workflow
from .downloads import decision_pdf, pdf_response
from .followup_forms import ChangeRequestForm, PaymentRequestForm, ReportForm
from .forms import (
    AddParticipantForm,
    ApplicationForm,
    AttachmentForm,
    BudgetFormSet,
    ParticipationForm,
    SharesForm,
    StartApplicationForm,
    WithdrawForm,
    budget_initial,
)
from .models import Status
from .processing_forms import InformationAnswerForm
from .services import WorkflowError


class ApplicationMixin:
    """Loads the application in the URL if the user may see it; anybody else gets 404."""

    def get_application(self):
        if not hasattr(self, "_application"):
            application = selectors.application_for_page(self.request.user, self.kwargs["pk"])
            if application is None:
                raise Http404("No such application")
            self._application = application
        return self._application

    def require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def refuse_unless_draft(self):
        """A crafted request to change a submitted application changes nothing and says why."""
        application = self.get_application()
        if application.status != Status.DRAFT:
            messages.error(
                self.request, _("The application has been submitted and can no longer be changed.")
            )
            return redirect(application.get_absolute_url())
        return None

    def page_context(self, **extra):
        application = self.get_application()
        user = self.request.user
        return {
            "application": application,
            "can_edit": permissions.can_edit_application(user, application),
            "can_withdraw": permissions.can_withdraw_application(user, application),
            "is_lead_staff": permissions.is_lead_staff(user, application),
            **extra,
        }


CASES_PER_PAGE = 50


class MyCasesView(TemplateView):
    template_name = "applications/my_cases.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = selectors.page_of(
            selectors.cases_for_municipality_staff(user), CASES_PER_PAGE, self.request.GET.get("page")
        )
        return super().get_context_data(
            page=page,
            rows=selectors.case_rows(page, user),
            open_calls=list(Call.objects.open().order_by("closes_at")) if municipality_ids(user) else [],
            **kwargs,
        )


class StartApplicationView(View):
    template_name = "applications/start.html"

    def dispatch(self, request, *args, **kwargs):
        own = municipality_ids(request.user)
        if not own:
            raise PermissionDenied
        self.call = get_object_or_404(Call, slug=kwargs["slug"])
        if not self.call.is_open():
            messages.error(request, _("The call is not open for applications."))
            return redirect(self.call.get_absolute_url())
        self.municipalities = Organisation.objects.filter(pk__in=own)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(StartApplicationForm(municipalities=self.municipalities))

    def post(self, request, *args, **kwargs):
        form = StartApplicationForm(request.POST, municipalities=self.municipalities)
        if not form.is_valid():
            return self.render(form)
        try:
            application = services.start_application(
                call=self.call,
                lead=form.cleaned_data["lead"],
                project_name=form.cleaned_data["project_name"],
                by=request.user,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(self.call.get_absolute_url())
        messages.success(request, _("The draft was created. Fill in the application and save as you go."))
        return redirect("applications:edit", pk=application.pk)

    def render(self, form, status=200):
        from django.shortcuts import render

        return render(self.request, self.template_name, {"form": form, "call": self.call}, status=status)


class ApplicationDetailView(ApplicationMixin, TemplateView):
    template_name = "applications/detail.html"

    def own_participant(self):
        own = municipality_ids(self.request.user)
        return next(
            (
                p
                for p in self.get_application().participants.all()
                if p.organisation_id in own and not p.is_lead
            ),
            None,
        )

    def get_context_data(self, participation_form=None, **kwargs):
        application = self.get_application()
        own_participant = self.own_participant()
        can_respond = own_participant is not None and permissions.can_respond_to_participation(
            self.request.user, own_participant
        )
        decision = getattr(application, "decision", None)
        return super().get_context_data(
            **self.page_context(
                decision=decision if decision is not None and decision.is_approved else None,
                requests=application.information_requests.all(),
                answer_form=InformationAnswerForm(),
                own_participant=own_participant,
                participation_form=(participation_form or ParticipationForm()) if can_respond else None,
                budget_total=workflow.budget_total(application),
                max_grant=workflow.max_grant(application),
                unmet=workflow.unmet_rules(application, timezone.now()) if application.is_draft else [],
                events=application.events.all(),
            ),
            **kwargs,
        )


def _to_querydict(raw):
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


class ApplicationEditView(ApplicationMixin, TemplateView):
    template_name = "applications/edit.html"

    def dispatch(self, request, *args, **kwargs):
        application = self.get_application()
        self.require(permissions.is_lead_staff(request.user, application))
        refused = self.refuse_unless_draft()
        return refused or super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if application.draft_input:
            # Show again what was typed last time, with its errors, until it is corrected.
            return self.bound_response(_to_querydict(application.draft_input))
        form = ApplicationForm(instance=application, call=application.call)
        formset = BudgetFormSet(prefix="budget", initial=budget_initial(application))
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def bound_response(self, data):
        application = self.get_application()
        if "budget-TOTAL_FORMS" in data:
            formset = BudgetFormSet(data, prefix="budget")
            total = formset.total() if formset.is_valid() else None
        else:
            formset = BudgetFormSet(prefix="budget", initial=budget_initial(application))
            total = workflow.budget_total(application)
        form = ApplicationForm(data, instance=application, call=application.call, budget_total=total)
        form.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        formset = BudgetFormSet(request.POST, prefix="budget")
        # A budget whose hidden bookkeeping fields were tampered with (or that has more rows than
        # allowed) could never be corrected on the page: it is left out and the saved budget stays.
        budget_readable = formset.is_readable()
        formset_valid = budget_readable and formset.is_valid()
        form = ApplicationForm(
            request.POST,
            instance=application,
            call=application.call,
            budget_total=formset.total() if formset_valid else None,
        )
        form_valid = form.is_valid()
        values = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
        pending = {}
        if not (form_valid and formset_valid):
            pending = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken" and (budget_readable or not key.startswith("budget-"))
            }
        if not budget_readable:
            messages.error(request, _("The budget rows could not be read. The saved budget was kept."))
            formset = BudgetFormSet(prefix="budget", initial=budget_initial(application))
        try:
            services.save_draft(
                application=application,
                values=values,
                budget_lines=formset.lines() if formset_valid else None,
                pending_input=pending,
                by=request.user,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(application.get_absolute_url())
        if pending:
            messages.warning(
                request, _("The draft was saved, but some entries need correcting. They are marked below.")
            )
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("The draft was saved."))
        if "save_and_continue" in request.POST:
            return redirect("applications:participants", pk=application.pk)
        return redirect("applications:edit", pk=application.pk)

    def get_context_data(self, **kwargs):
        application = self.get_application()
        return super().get_context_data(
            **self.page_context(
                budget_total=workflow.budget_total(application), max_grant=workflow.max_grant(application)
            ),
            **kwargs,
        )


class ParticipantsView(ApplicationMixin, TemplateView):
    template_name = "applications/participants.html"

    def dispatch(self, request, *args, **kwargs):
        self.require(permissions.is_lead_staff(request.user, self.get_application()))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, add_form=None, shares_form=None, **kwargs):
        application = self.get_application()
        participants = list(application.participants.all())
        return super().get_context_data(
            **self.page_context(
                participants=participants,
                add_form=add_form or AddParticipantForm(application=application),
                shares_form=shares_form or SharesForm(participants=participants),
                municipality_options=selectors.municipality_options() if application.is_draft else [],
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        application = self.get_application()
        form = AddParticipantForm(request.POST, application=application)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(add_form=form), status=200)
        try:
            participant = services.add_participant(
                application=application,
                organisation=form.cleaned_data["municipality"],
                share_percent=form.cleaned_data["share_percent"],
                by=request.user,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s was added. Its staff must now confirm the participation in the system.")
                % {"name": participant.organisation.name},
            )
        return redirect("applications:participants", pk=application.pk)


class SharesView(ParticipantsView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        application = self.get_application()
        participants = list(application.participants.all())
        form = SharesForm(request.POST, participants=participants)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(shares_form=form))
        try:
            services.set_shares(application=application, shares=form.shares(), by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The shares were saved."))
        return redirect("applications:participants", pk=application.pk)


class RemoveParticipantView(ApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        self.require(permissions.is_lead_staff(request.user, application))
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        participant = next(
            (p for p in application.participants.all() if p.pk == kwargs["participant_pk"]), None
        )
        if participant is None:
            raise Http404("No such participant")
        try:
            services.remove_participant(participant=participant, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": participant.organisation.name})
        return redirect("applications:participants", pk=application.pk)


class ParticipationView(ApplicationDetailView):
    """A partner municipality's staff confirm or decline their participation."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        participant = self.own_participant()
        self.require(participant is not None)
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        form = ParticipationForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(participation_form=form))
        confirm = form.cleaned_data["answer"] == "confirm"
        try:
            services.respond_to_participation(
                participant=participant,
                confirm=confirm,
                by=request.user,
                document=form.cleaned_data["commitment"],
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Your municipality's participation was confirmed.")
                if confirm
                else _("Your municipality's participation was declined."),
            )
        return redirect(application.get_absolute_url())


class AttachmentsView(ApplicationMixin, TemplateView):
    template_name = "applications/attachments.html"

    def get_context_data(self, form=None, **kwargs):
        application = self.get_application()
        user = self.request.user
        can_upload = permissions.can_edit_application(user, application)
        return super().get_context_data(
            **self.page_context(
                form=(form or AttachmentForm()) if can_upload else None,
                attachments=[
                    (attachment, permissions.can_delete_attachment(user, attachment))
                    for attachment in application.attachments.all()
                ],
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        self.require(permissions.is_lead_staff(request.user, application))
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            attachment = services.add_attachment(
                application=application,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was attached.") % {"name": attachment.original_name})
        return redirect("applications:attachments", pk=application.pk)


class AttachmentDownloadView(ApplicationMixin, View):
    def get(self, request, *args, **kwargs):
        application = self.get_application()
        attachment = next((a for a in application.attachments.all() if a.pk == kwargs["attachment_pk"]), None)
        if attachment is None:
            raise Http404("No such attachment")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The file is missing") from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentDeleteView(ApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        attachment = next((a for a in application.attachments.all() if a.pk == kwargs["attachment_pk"]), None)
        if attachment is None:
            raise Http404("No such attachment")
        refused = self.refuse_unless_draft()
        if refused:
            return refused
        self.require(permissions.can_delete_attachment(request.user, attachment))
        try:
            services.delete_attachment(attachment=attachment, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
        return redirect("applications:attachments", pk=application.pk)


class SubmitView(ApplicationMixin, TemplateView):
    template_name = "applications/submit.html"

    def dispatch(self, request, *args, **kwargs):
        self.require(permissions.is_lead_staff(request.user, self.get_application()))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.get_application()
        checklist = workflow.submission_checklist(application, timezone.now())
        return super().get_context_data(
            **self.page_context(checklist=checklist, ready=all(rule.met for rule in checklist)), **kwargs
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        try:
            submitted = services.submit_application(application=application, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            if application.status != Status.DRAFT:
                return redirect(application.get_absolute_url())
            return redirect("applications:submit", pk=application.pk)
        messages.success(
            request,
            _("The application was submitted. Its case number is %(number)s. A receipt was sent by email.")
            % {"number": submitted.case_number},
        )
        return redirect(submitted.get_absolute_url())


class WithdrawView(ApplicationMixin, TemplateView):
    template_name = "applications/withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        application = self.get_application()
        self.require(permissions.is_lead_staff(request.user, application))
        if not permissions.can_withdraw_application(request.user, application):
            messages.error(
                request, _("Only a submitted application that has not been decided can be withdrawn.")
            )
            return redirect(application.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(**self.page_context(form=form or WithdrawForm()), **kwargs)

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.withdraw_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application was withdrawn."))
        return redirect(application.get_absolute_url())


class PrintView(ApplicationMixin, TemplateView):
    """A printable copy of the application (the browser's print dialog saves it as PDF)."""

    template_name = "applications/print.html"

    def get_context_data(self, **kwargs):
        application = self.get_application()
        return super().get_context_data(
            **self.page_context(
                budget_total=workflow.budget_total(application),
                max_grant=workflow.max_grant(application),
                printed_at=timezone.now(),
            ),
            **kwargs,
        )


class InformationAnswerView(ApplicationDetailView):
    """The lead municipality's staff answer the ministry's request for additional information."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        self.require(permissions.is_lead_staff(request.user, application))
        information_request = next(
            (r for r in application.information_requests.all() if r.pk == kwargs["request_pk"]), None
        )
        if information_request is None:
            raise Http404("No such request")
        form = InformationAnswerForm(request.POST)
        if not form.is_valid():
            context = self.get_context_data()
            context.update(answer_form=form, answering=information_request.pk)
            return self.render_to_response(context)
        try:
            services.answer_information(
                request=information_request, answer=form.cleaned_data["answer"], by=request.user
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your answer was sent to the ministry."))
        return redirect(application.get_absolute_url())


class DecisionView(ApplicationMixin, TemplateView):
    """The approved decision, as archived, for everyone who may see the application."""

    template_name = "decisions/page.html"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        decision = getattr(application, "decision", None)
        if decision is None or not decision.is_approved:
            raise Http404("No decision yet")
        if kwargs.get("pdf", False):
            return decision_pdf(decision)
        from . import decision_document

        document = decision.document_html or decision_document.render_html(decision)
        return self.render_to_response(
            self.get_context_data(decision=decision, document=document, back=application.get_absolute_url())
        )


class JoiningForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Does your municipality join this project?"),
        choices=[("confirm", gettext_lazy("Yes, we join")), ("decline", gettext_lazy("No, we do not join"))],
        widget=forms.RadioSelect,
    )


class ProjectView(ApplicationMixin, TemplateView):
    """The awarded project's follow-up for the municipalities: what was granted and paid, what is still
    available, the reports due; the lead's staff request payments and changes and submit reports, and a
    municipality named in a change of participants confirms or declines joining."""

    template_name = "applications/project.html"

    def get_project(self):
        self.get_application()  # 404 unless the user may see the case
        project = selectors.project_for_page(self.kwargs["pk"])
        if project is None:
            raise Http404("Not an awarded project")
        return project

    def make_form(self, action, project, data=None, files=None):
        if action == "payment":
            return PaymentRequestForm(data, files)
        if action == "change":
            return ChangeRequestForm(data, budget_lines=project.budget_lines.all())
        if action == "report":
            return ReportForm(data)
        return JoiningForm(data)

    def joining_participant(self, project):
        own = municipality_ids(self.request.user)
        pending = {c.new_participant_id for c in project.change_requests.all() if c.status == "pending"}
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
        acting = permissions.is_lead_staff(self.request.user, project) and project.status == Status.AWARDED
        forms_ = {}
        if acting:
            forms_ = {
                f"{action}_form": bound.get(f"{action}_form") or self.make_form(action, project)
                for action in ("payment", "change", "report")
            }
        joining = self.joining_participant(project)
        return super().get_context_data(
            **self.page_context(),
            project=project,
            figures=followup.figures(project),
            can_act=acting,
            joining=joining,
            joining_form=bound.get("joining_form") or JoiningForm() if joining else None,
            municipality_options=selectors.municipality_options() if acting else [],
            **forms_,
        )

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        action = kwargs["action"]
        joining = self.joining_participant(project) if action == "joining" else None
        self.require(
            joining is not None if action == "joining" else permissions.is_lead_staff(request.user, project)
        )
        form = self.make_form(action, project, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
        data = form.cleaned_data
        try:
            if action == "payment":
                followup.request_payment(
                    application=project,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    costs=form.costs(),
                    ledger=data["ledger"],
                    is_final=data["is_final"],
                    by=request.user,
                )
                messages.success(request, _("The payment request was sent to the ministry."))
            elif action == "change":
                followup.request_change(application=project, by=request.user, **form.service_arguments())
                messages.success(request, _("The change request was sent to the ministry."))
            elif action == "report":
                followup.submit_report(application=project, by=request.user, **data)
                messages.success(request, _("The report was sent to the ministry."))
            else:
                followup.respond_to_joining(
                    application=project,
                    confirm=data["answer"] == "confirm",
                    participant=joining,
                    by=request.user,
                )
                messages.success(request, _("Your answer was saved."))
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("applications:project", pk=project.pk)


class ApplicationCopyPdfView(ApplicationMixin, View):
    """A PDF copy of the application in the reader's language."""

    def get(self, request, *args, **kwargs):
        from .decision_document import application_copy_pdf

        application = self.get_application()
        name = (application.case_number or f"draft-{application.pk}").replace("/", "-")
        return pdf_response(
            application_copy_pdf(application, request.LANGUAGE_CODE), f"application-{name}.pdf"
        )


class FollowUpDecisionPdfView(ApplicationMixin, View):
    """The decision on a change request or a return, for everyone who may see the case."""

    def get(self, request, *args, **kwargs):
        from .decision_document import change_decision_pdf, return_decision_pdf
        from .models import ChangeRequest, ChangeStatus, GrantReturn

        application = self.get_application()
        name = (application.case_number or str(application.pk)).replace("/", "-")
        if kwargs["kind"] == "changes":
            change = get_object_or_404(
                ChangeRequest.objects.exclude(status=ChangeStatus.PENDING),
                application=application,
                pk=kwargs["item"],
            )
            return pdf_response(change_decision_pdf(change), f"change-decision-{name}-{change.pk}.pdf")
        grant_return = get_object_or_404(GrantReturn, application=application, pk=kwargs["item"])
        return pdf_response(
            return_decision_pdf(grant_return), f"return-decision-{name}-{grant_return.pk}.pdf"
        )
