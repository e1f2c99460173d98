"""The lead's draft: content, participating municipalities and shares, files, and a partner's answer."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.sessions import kept_input

from .. import permissions, rules, selectors, services, workflow
from ..exceptions import EditConflict
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
from .base import ApplicantAction, ApplicationMixin
from .case import ApplicationDetailView


def _to_querydict(raw):
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values if isinstance(values, list) else [values])
    return data


class DraftInput:
    """The draft's form and budget as posted. A draft is saved as far as it is valid and the rest is kept
    as typed, marked for correcting (`pending`), so it is never refused as a whole: `is_valid` is true."""

    def __init__(self, data, application):
        self.formset = BudgetFormSet(data, prefix="budget")
        # A budget whose hidden bookkeeping fields were tampered with (or that has more rows than
        # allowed) could never be corrected on the page: it is left out and the saved budget stays.
        self.budget_readable = self.formset.is_readable()
        self.budget_valid = self.budget_readable and self.formset.is_valid()
        # The totals and the maximum-share check count the rows as shown, valid amounts only, even while
        # another cell of the budget still needs correcting: the page never contradicts itself.
        self.shown_total = (
            self.formset.shown_total() if self.budget_readable else rules.budget_total(application)
        )
        self.form = ApplicationForm(
            data, instance=application, call=application.call, budget_total=self.shown_total
        )
        valid = self.form.is_valid() and self.budget_valid
        self.values = {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}
        self.pending = (
            {}
            if valid
            else {
                key: data.getlist(key)
                for key in data
                if key != "csrfmiddlewaretoken" and (self.budget_readable or not key.startswith("budget-"))
            }
        )
        if not self.budget_readable:
            self.formset = BudgetFormSet(prefix="budget", initial=budget_initial(application))

    def is_valid(self):
        return True

    def context(self, **extra):
        return {"form": self.form, "formset": self.formset, "shown_total": self.shown_total, **extra}


class ApplicationEditView(ApplicantAction, TemplateView):
    template_name = "applications/edit.html"
    http_method_names = ["get", "post"]
    action = "edit"
    restores_input = True  # a draft typed before the session expired comes back (accounts/sessions.py)

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        refused = self.refuse(application)
        if refused is not None:
            return refused
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

    def get_form(self, application):
        return DraftInput(self.request.POST, application)

    def act(self, application, draft):
        if not draft.budget_readable:
            messages.error(self.request, _("The budget rows could not be read. The saved budget was kept."))
        services.save_draft(
            application=application,
            values=draft.values,
            budget_lines=draft.formset.lines() if draft.budget_valid else None,
            pending_input=draft.pending,
            by=self.request.user,
            version=self.request.POST.get("version"),
        )
        if draft.pending:
            return _("The draft was saved, but some entries need correcting. They are marked below.")
        return _("The draft was saved.")

    def done(self, application, draft, message):
        if draft.pending:  # saved as far as it could be: the page again, the entries to correct marked
            messages.warning(self.request, message)
            return self.render_to_response(self.get_context_data(**draft.context()))
        return super().done(application, draft, message)

    def redirect_to(self, application):
        name = "participants" if "save_and_continue" in self.request.POST else "edit"
        return reverse(f"applications:{name}", kwargs={"pk": application.pk})

    def refused(self, application, draft, error):
        if not isinstance(error, EditConflict):
            messages.error(self.request, str(error))
            return redirect(application.get_absolute_url())
        # Nothing was saved: the user's text stays on the page, beside what the other person saved.
        messages.error(self.request, str(error))
        saved = Application.objects.get(pk=application.pk)
        return self.render_to_response(
            self.get_context_data(**draft.context(saved_meanwhile=_differences(draft.form, saved)))
        )

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


class ParticipantsPage(ApplicationMixin, TemplateView):
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


class ParticipantAction(ApplicantAction, ParticipantsPage):
    page = "participants"


class ParticipantsView(ParticipantAction):
    """The draft's municipalities and their shares; the lead's staff add a municipality here."""

    http_method_names = ["get", "post"]
    action = "add_participant"
    form_name = "add_form"

    def get_form(self, application):
        return AddParticipantForm(self.request.POST, application=application)

    def act(self, application, form):
        participant = services.add_participant(
            application=application,
            organisation=form.cleaned_data["municipality"],
            share_percent=form.cleaned_data["share_percent"],
            by=self.request.user,
        )
        return _("%(name)s was added. Its staff must now confirm the participation in the system.") % {
            "name": participant.organisation.name
        }


class SharesView(ParticipantAction):
    action = "set_shares"
    form_name = "shares_form"

    def get_form(self, application):
        return SharesForm(self.request.POST, participants=list(application.participants.all()))

    def act(self, application, form):
        services.set_shares(application=application, shares=form.shares(), by=self.request.user)
        return _("The shares were saved.")


class RemoveParticipantView(ParticipantAction):
    action = "remove_participant"

    def refuse(self, participant):
        return super().refuse(self.get_application())  # a step of the application's

    def get_subject(self):
        return self.case_item("participants", "participant_pk")

    def act(self, participant, form):
        services.remove_participant(participant=participant, by=self.request.user)
        return _("%(name)s was removed.") % {"name": participant.organisation.name}


class ParticipationView(ApplicantAction, ApplicationDetailView):
    """A partner municipality's staff confirm or decline their participation."""

    action = "confirm"  # confirming and declining share their rules
    form_class = ParticipationForm
    form_name = "participation_form"

    def get_subject(self):
        participant = self.own_participant()
        self.require(participant is not None)
        return participant

    def act(self, participant, form):
        confirm = form.cleaned_data["answer"] == "confirm"
        services.respond_to_participation(
            participant=participant,
            confirm=confirm,
            by=self.request.user,
            document=form.cleaned_data["commitment"],
        )
        if confirm:
            return _("Your municipality's participation was confirmed.")
        return _("Your municipality's participation was declined.")


class AttachmentsPage(ApplicationMixin, TemplateView):
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


class AttachmentAction(ApplicantAction, AttachmentsPage):
    page = "attachments"


class AttachmentsView(AttachmentAction):
    """The application's files; the applicants attach one here while the workflow lets them."""

    http_method_names = ["get", "post"]
    action = "add_attachment"
    form_class = AttachmentForm

    def act(self, application, form):
        attachment = services.add_attachment(
            application=application,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=self.request.user,
        )
        return _("%(name)s was attached.") % {"name": attachment.original_name}


class AttachmentDownloadView(ApplicationMixin, View):
    def get(self, request, *args, **kwargs):
        attachment = self.case_item("attachments", "attachment_pk")
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


class AttachmentDeleteView(AttachmentAction):
    action = "delete"

    def get_subject(self):
        return self.case_item("attachments", "attachment_pk")

    def act(self, attachment, form):
        services.delete_attachment(attachment=attachment, by=self.request.user)
        return _("%(name)s was removed.") % {"name": attachment.original_name}
