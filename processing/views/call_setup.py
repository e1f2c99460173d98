"""Officials prepare calls in their own pages: a draft with its texts in Finnish and Swedish, emphasis
areas, criteria and weights, contacts, legal basis and terms; a preview as applicants will see it; then
open it, or end a running application period early. What each page offers is what the workflow's `CALL`
machine allows now (applications.workflow)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.sessions import kept_input
from applications import services, workflow
from applications.models import Status
from applications.statemachine import Performer
from grants import legal
from grants.models import Call

from ..forms.call_setup import CallForm, CloseCallForm, call_formsets
from ..mixins import ConfirmedActionView, MinistryPage


def _call(slug) -> Call:
    return get_object_or_404(
        Call.objects.select_related("programme").prefetch_related(
            "emphasis_areas", "evaluation_criteria", "contacts"
        ),
        slug=slug,
    )


class CallFormView(MinistryPage, TemplateView):
    """A new draft call (no slug) or a draft's changes; everything on one page, saved together."""

    performer = Performer.OFFICIAL
    template_name = "processing/call_form.html"
    restores_input = True  # a call typed before the session expired comes back (accounts/sessions.py)

    def get_call(self) -> Call | None:
        if "slug" not in self.kwargs:
            return None
        if not hasattr(self, "_call"):
            self._call = _call(self.kwargs["slug"])
        return self._call

    def refused(self):
        call = self.get_call()
        reason = workflow.refusal(call, "edit", self.request.user) if call else None
        if reason:
            messages.error(self.request, reason)
            return redirect("processing:call-preview", slug=call.slug)
        return None

    def get(self, request, *args, **kwargs):
        refused = self.refused()
        if refused:
            return refused
        call = self.get_call()
        kept = kept_input(request)
        if kept is not None:
            return self.bound(kept)
        return self.render_to_response(
            self.get_context_data(form=CallForm(instance=call), **call_formsets(call=call))
        )

    def bound(self, data):
        form = CallForm(data, instance=self.get_call())
        formsets = call_formsets(data)
        form.is_valid()
        for formset in formsets.values():
            formset.is_valid()
        return self.render_to_response(self.get_context_data(form=form, **formsets))

    def post(self, request, *args, **kwargs):
        refused = self.refused()
        if refused:
            return refused
        call = self.get_call()
        form = CallForm(request.POST, instance=call)
        formsets = call_formsets(request.POST)
        # Every form is validated, so that every error shows at once.
        results = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
        if not all(results):
            return self.render_to_response(self.get_context_data(form=form, **formsets))
        try:
            saved = services.save_call(
                call=call,
                values={name: form.cleaned_data[name] for name in CallForm.Meta.fields},
                emphasis_areas=formsets["areas"].rows(),
                criteria=formsets["criteria"].rows(),
                contacts=formsets["contacts"].rows(),
                by=request.user,
                version=request.POST.get("version") or None,
            )
        except services.EditConflict as conflict:
            # Nothing was saved: the user's text stays in the form, which now carries the saved version,
            # so that saving again after comparing is a choice made knowingly.
            messages.error(request, str(conflict))
            saved = Call.objects.get(pk=call.pk)
            return self.render_to_response(
                self.get_context_data(form=form, version=services.call_version(saved), **formsets)
            )
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form, **formsets))
        messages.success(
            request, _("The draft call was saved. Only the ministry sees it until it is opened.")
        )
        if "save_and_preview" in request.POST:
            return redirect("processing:call-preview", slug=saved.slug)
        return redirect("processing:call-edit", slug=saved.slug)

    def get_context_data(self, **kwargs):
        call = self.get_call()
        # The version the form was opened on: kept while the user corrects errors.
        kwargs.setdefault("version", self.request.POST.get("version") or services.call_version(call))
        return super().get_context_data(call=call, **kwargs)


class CallPreviewView(MinistryPage, TemplateView):
    """The call's public page as applicants will see it, with what the official can do with it now."""

    template_name = "grants/call_detail.html"

    def get_context_data(self, **kwargs):
        call = _call(self.kwargs["slug"])
        user = self.request.user
        actions = workflow.allowed_actions(call, user)
        return super().get_context_data(
            call=call,
            preview=True,
            actions=actions,
            open_refusal=workflow.refusal(call, "open", user) if call.is_draft else None,
            decree=legal.DECREE,
            state_aid_act=legal.STATE_AID_ACT_SECTIONS,
            **kwargs,
        )


class OpenCallView(ConfirmedActionView):
    """Opening publishes the call: the page first says what becomes public and from when."""

    performer = Performer.OFFICIAL
    template_name = "processing/confirm_open_call.html"

    def get_subject(self):
        return _call(self.kwargs["slug"])

    def get_context_data(self, subject=None, **kwargs):
        return super().get_context_data(
            call=subject,
            refusal=workflow.refusal(subject, "open", self.request.user),
            now=timezone.now(),
            **kwargs,
        )

    def act(self, call, form):
        services.open_call(call=call, by=self.request.user)
        return _("The call was opened. It is on the public pages now.")

    def redirect_to(self, call):
        return reverse("processing:call-preview", kwargs={"slug": call.slug})


class CloseCallView(ConfirmedActionView):
    """Ending a running application period before its time: the page says how many drafts can then no
    longer be submitted, and asks the reason, which the call's page shows."""

    performer = Performer.OFFICIAL
    template_name = "processing/confirm_close_call.html"
    form_class = CloseCallForm

    def get_subject(self):
        return _call(self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        call = self.get_subject()
        return self.render_to_response(self.get_context_data(subject=call, form=CloseCallForm()))

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "1":
            return self.get(request, *args, **kwargs)
        return super(ConfirmedActionView, self).post(request, *args, **kwargs)

    def form_invalid(self, call, form):
        return self.render_to_response(self.get_context_data(subject=call, form=form))

    def get_context_data(self, subject=None, **kwargs):
        counts = subject.applications.aggregate(
            drafts=Count("pk", filter=Q(status=Status.DRAFT)),
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        )
        return super().get_context_data(
            call=subject, refusal=workflow.refusal(subject, "close", self.request.user), **counts, **kwargs
        )

    def act(self, call, form):
        services.close_call(call=call, reason=form.cleaned_data["reason"], by=self.request.user)
        return _("The application period was ended.")

    def redirect_to(self, call):
        return reverse("processing:call-preview", kwargs={"slug": call.slug})
