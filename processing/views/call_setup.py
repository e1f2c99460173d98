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
from ..mixins import ActionView, ConfirmedActionView, MinistryPage


def _call(slug) -> Call:
    return get_object_or_404(
        Call.objects.select_related("programme").prefetch_related(
            "emphasis_areas", "evaluation_criteria", "contacts"
        ),
        slug=slug,
    )


class CallInput:
    """The call's form and its rows' formsets as posted, validated together so that every error shows at
    once."""

    def __init__(self, data, call):
        self.form = CallForm(data, instance=call)
        self.formsets = call_formsets(data)

    def is_valid(self):
        return all([self.form.is_valid(), *(formset.is_valid() for formset in self.formsets.values())])

    def context(self, **extra):
        return {"form": self.form, **self.formsets, **extra}


class CallFormView(ActionView, TemplateView):
    """A new draft call (no slug) or a draft's changes; everything on one page, saved together."""

    performer = Performer.OFFICIAL
    template_name = "processing/call_form.html"
    http_method_names = ["get", "post"]
    restores_input = True  # a call typed before the session expired comes back (accounts/sessions.py)

    def get_call(self) -> Call | None:
        if "slug" not in self.kwargs:
            return None
        if not hasattr(self, "_call"):
            self._call = _call(self.kwargs["slug"])
        return self._call

    def get_subject(self):
        return self.get_call()

    def refuse(self, call):
        reason = workflow.refusal(call, "edit", self.request.user) if call else None
        if reason:
            messages.error(self.request, reason)
            return redirect("processing:call-preview", slug=call.slug)
        return None

    def get(self, request, *args, **kwargs):
        call = self.get_call()
        refused = self.refuse(call)
        if refused:
            return refused
        kept = kept_input(request)
        if kept is not None:
            posted = CallInput(kept, call)
            posted.is_valid()
            return self.render_to_response(self.get_context_data(**posted.context()))
        return self.render_to_response(
            self.get_context_data(form=CallForm(instance=call), **call_formsets(call=call))
        )

    def get_form(self, call):
        return CallInput(self.request.POST, call)

    def form_invalid(self, call, posted):
        return self.render_to_response(self.get_context_data(**posted.context()))

    def act(self, call, posted):
        self.saved = services.save_call(
            call=call,
            values={name: posted.form.cleaned_data[name] for name in CallForm.Meta.fields},
            emphasis_areas=posted.formsets["areas"].rows(),
            criteria=posted.formsets["criteria"].rows(),
            contacts=posted.formsets["contacts"].rows(),
            by=self.request.user,
            version=self.request.POST.get("version") or None,
        )
        return _("The draft call was saved. Only the ministry sees it until it is opened.")

    def refused(self, call, posted, error):
        if not isinstance(error, services.EditConflict):
            return super().refused(call, posted, error)
        # Nothing was saved: the user's text stays in the form, which now carries the saved version, so
        # that saving again after comparing is a choice made knowingly.
        messages.error(self.request, str(error))
        saved = Call.objects.get(pk=call.pk)
        return self.render_to_response(
            self.get_context_data(**posted.context(version=services.call_version(saved)))
        )

    def redirect_to(self, call):
        name = "call-preview" if "save_and_preview" in self.request.POST else "call-edit"
        return reverse(f"processing:{name}", kwargs={"slug": self.saved.slug})

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
