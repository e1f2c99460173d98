"""The lead's draft: content, participating municipalities and shares, files, and a partner's answer."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.sessions import kept_input

from .. import permissions, rules, selectors, services, workflow
from ..exceptions import EditConflict, WorkflowError
from ..forms import (
    AddParticipantForm,
    ApplicationForm,
    AttachmentForm,
    BudgetFormSet,
    ParticipationForm,
    SharesForm,
    budget_initial,
)
from ..models import Application
from .base import ApplicationMixin
from .case import ApplicationDetailView


def _to_querydict(raw):
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


class ApplicationEditView(ApplicationMixin, TemplateView):
    template_name = "applications/edit.html"
    restores_input = True  # a draft typed before the session expired comes back (accounts/sessions.py)

    def dispatch(self, request, *args, **kwargs):
        return self.refuse_unless("edit") or super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        kept = kept_input(request)
        if kept is not None:
            return self.bound_response(kept)
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
            total = formset.shown_total()
        else:
            formset = BudgetFormSet(prefix="budget", initial=budget_initial(application))
            total = rules.budget_total(application)
        form = ApplicationForm(data, instance=application, call=application.call, budget_total=total)
        form.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset, shown_total=total))

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        formset = BudgetFormSet(request.POST, prefix="budget")
        # A budget whose hidden bookkeeping fields were tampered with (or that has more rows than
        # allowed) could never be corrected on the page: it is left out and the saved budget stays.
        budget_readable = formset.is_readable()
        formset_valid = budget_readable and formset.is_valid()
        # The totals and the maximum-share check count the rows as shown, valid amounts only, even while
        # another cell of the budget still needs correcting: the page never contradicts itself.
        shown_total = formset.shown_total() if budget_readable else rules.budget_total(application)
        form = ApplicationForm(
            request.POST, instance=application, call=application.call, budget_total=shown_total
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
                version=request.POST.get("version"),
            )
        except EditConflict as conflict:
            # Nothing was saved: the user's text stays on the page, beside what the other person saved.
            messages.error(request, str(conflict))
            saved = Application.objects.get(pk=application.pk)
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    formset=formset,
                    shown_total=shown_total,
                    saved_meanwhile=_differences(form, saved),
                )
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(application.get_absolute_url())
        if pending:
            messages.warning(
                request, _("The draft was saved, but some entries need correcting. They are marked below.")
            )
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset, shown_total=shown_total)
            )
        messages.success(request, _("The draft was saved."))
        if "save_and_continue" in request.POST:
            return redirect("applications:participants", pk=application.pk)
        return redirect("applications:edit", pk=application.pk)

    def get_context_data(self, shown_total=None, **kwargs):
        application = self.get_application()  # read for this page: the draft as saved
        if self.request.method != "GET":  # after a save: the draft as saved now, for its version
            saved = Application.objects.select_related("call").prefetch_related("budget_lines")
            application = saved.get(pk=application.pk)
        total = rules.budget_total(application) if shown_total is None else shown_total
        return super().get_context_data(
            **self.page_context(
                budget_total=total,
                max_grant=rules.max_grant(application, total),
                version=services.draft_version(application),
            ),
            **kwargs,
        )


def _differences(form, saved):
    """(label, saved text) of each text field where the saved draft differs from what the user sent."""
    differences = []
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        mine = (form.data.get(name) or "").strip()
        theirs = str(getattr(saved, name, "") or "").strip()
        if mine != theirs:
            differences.append((field.label, theirs))
    return differences


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
        refused = self.refuse_unless("add_participant")
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
        refused = self.refuse_unless("set_shares")
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
        refused = self.refuse_unless("remove_participant")
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
        refused = self.refuse_unless("confirm", participant)  # confirming and declining share their rules
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
        can_upload = workflow.allows(application, "add_attachment", user)
        return super().get_context_data(
            **self.page_context(
                form=(form or AttachmentForm()) if can_upload else None,
                attachments=[
                    (attachment, workflow.allows(attachment, "delete", user))
                    for attachment in application.attachments.all()
                ],
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        refused = self.refuse_unless("add_attachment")
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
        attachment.application = application
        refused = self.refuse_unless("delete", attachment)
        if refused:
            return refused
        try:
            services.delete_attachment(attachment=attachment, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
        return redirect("applications:attachments", pk=application.pk)
