"""The decision-maker's list of a call's proposals, approved or sent back one by one or all at once, the
publication of the results, and the decision document. Which buttons a proposal shows is what the
workflow allows the user now: never their own presentation, never a withdrawn case, never before the
application period has ended."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from applications import services, workflow
from applications.documents.decision import decision_pdf, made_outside, render_html
from applications.models import (
    Application,
    Decision,
    DecisionStatus,
    IssuedDocument,
    RectificationRequest,
    Status,
)
from applications.statemachine import Performer
from grants.models import Call

from .. import selectors
from ..forms.decisions import (
    DiaryNumberForm,
    LetterForm,
    OriginalDecisionForm,
    RectificationDecisionForm,
    ReturnForm,
)
from ..mixins import ActionView, ConfirmedActionView, MinistryPage


class DecisionsView(MinistryPage, TemplateView):
    template_name = "processing/decisions.html"

    def get_context_data(self, **kwargs):
        call = get_object_or_404(Call, slug=self.kwargs["slug"])
        user = self.request.user
        decisions = list(
            Decision.objects.filter(application__call=call)
            .select_related("application__lead", "application__call", "proposed_by", "approved_by")
            .order_by("status", "application__case_sequence")
        )
        for decision in decisions:
            decision.application.call = call
            decision.actions = workflow.allowed_actions(decision, user)
            deciding = workflow.holds(user, Performer.DECISION_MAKER, decision)
            if deciding and decision.status == DecisionStatus.PROPOSED and "approve" not in decision.actions:
                decision.approve_refusal = workflow.refusal(decision, "approve", user)
        proposed = [d for d in decisions if d.status == DecisionStatus.PROPOSED]
        approved_total = services.approved_total(call)
        # Asked once: publication's guards count the call's undecided applications.
        publishing = not call.results_published and workflow.holds(user, Performer.OFFICIAL, call)
        publish_refusal = workflow.refusal(call, "publish_results", user) if publishing else None
        return super().get_context_data(
            call=call,
            decisions=decisions,
            proposed=proposed,
            approvable=[d for d in proposed if "approve" in d.actions],
            approved_total=approved_total,
            proposed_total=sum((d.granted_amount or 0 for d in proposed), 0),
            remaining=call.appropriation - approved_total,
            can_publish=publishing and publish_refusal is None,
            publish_refusal=publish_refusal,
            return_form=ReturnForm(),
            **kwargs,
        )


def decisions_url(call):
    return reverse("processing:decisions", kwargs={"slug": call.slug})


class DecisionActionView(ActionView, View):
    performer = Performer.DECISION_MAKER

    def get_subject(self):
        return get_object_or_404(Decision.objects.select_related("application__call"), pk=self.kwargs["pk"])

    def redirect_to(self, decision):
        return decisions_url(decision.application.call)


class ApproveView(DecisionActionView):
    def act(self, decision, form):
        services.approve_decisions(
            call=decision.application.call, decision_ids=[decision.pk], by=self.request.user
        )
        return _("The decision was approved and the applicant notified.")


class ApproveAllView(ConfirmedActionView):
    """Every proposal of the call that this decision-maker may approve now (not their own presentations,
    not withdrawn cases), in one transaction, after a page that lists them with the money: what was shown
    is what is approved (if the proposals changed meanwhile, nothing is approved)."""

    performer = Performer.DECISION_MAKER
    template_name = "processing/confirm_approve.html"

    def get_subject(self):
        return get_object_or_404(Call, slug=self.kwargs["slug"])

    def approvable(self, call):
        proposals = (
            Decision.objects.filter(
                application__call=call, status=DecisionStatus.PROPOSED, application__status=Status.SUBMITTED
            )
            .select_related("application__call", "application__lead", "proposed_by")
            .order_by("application__case_sequence", "pk")
        )
        return [d for d in proposals if workflow.allows(d, "approve", self.request.user)]

    def get_context_data(self, subject=None, **kwargs):
        call = subject
        proposals = self.approvable(call)
        scored = {
            row.pk: selectors.mean_score(row)
            for row in selectors.with_scores(
                Application.objects.filter(pk__in=[d.application_id for d in proposals])
            )
        }
        for decision in proposals:
            decision.score = scored.get(decision.application_id)
        adding = sum((d.granted_amount or 0 for d in proposals), 0)
        approved = services.approved_total(call)
        return super().get_context_data(
            call=call,
            proposals=proposals,
            adding=adding,
            approved_total=approved,
            remaining_after=call.appropriation - approved - adding,
            **kwargs,
        )

    def act(self, call, form):
        ids = [int(value) for value in self.request.POST.getlist("decision") if value.isdigit()]
        if not ids:
            raise services.WorkflowError(_("There are no proposals waiting for approval."))
        if set(ids) != {d.pk for d in self.approvable(call)}:
            raise services.WorkflowError(_("The proposals changed meanwhile. Check the list again."))
        approved = services.approve_decisions(call=call, decision_ids=ids, by=self.request.user)
        return ngettext(
            "%(count)s decision was approved.", "%(count)s decisions were approved.", len(approved)
        ) % {"count": len(approved)}

    def redirect_to(self, call):
        return decisions_url(call)


class SendBackView(DecisionActionView):
    form_class = ReturnForm

    def form_invalid(self, decision, form):
        messages.error(self.request, _("Say why the proposal is returned."))
        return redirect(self.redirect_to(decision))

    def act(self, decision, form):
        services.send_back_proposal(decision=decision, note=form.cleaned_data["note"], by=self.request.user)
        return _("The proposal was returned to the official.")


class PublishView(ConfirmedActionView):
    """Publishing the results cannot be undone: the page first says what becomes public."""

    performer = Performer.OFFICIAL
    template_name = "processing/confirm_publish.html"

    def get_subject(self):
        return get_object_or_404(Call, slug=self.kwargs["slug"])

    def get_context_data(self, subject=None, **kwargs):
        call = subject
        decided = Decision.objects.filter(application__call=call, status=DecisionStatus.APPROVED)
        return super().get_context_data(
            call=call,
            awards=decided.filter(outcome="positive").count(),
            rejections=decided.filter(outcome="negative").count(),
            awarded_total=services.approved_total(call),
            refusal=workflow.refusal(call, "publish_results", self.request.user),
            **kwargs,
        )

    def act(self, call, form):
        services.publish_results(call=call, by=self.request.user)
        return _("The results were published.")

    def redirect_to(self, call):
        return decisions_url(call)


class DecisionDocumentView(MinistryPage, TemplateView):
    template_name = "decisions/page.html"

    def get(self, request, *args, **kwargs):
        decision = get_object_or_404(
            Decision.objects.select_related("application__call__programme", "application__lead"),
            pk=kwargs["pk"],
        )
        if made_outside(decision):
            if kwargs.get("pdf", False) and decision.document_pdf:
                return decision_pdf(decision)
            raise Http404("Decided outside this system; no document was generated.")
        if kwargs.get("pdf", False):
            return decision_pdf(decision)
        html = decision.document_html if decision.is_approved and decision.document_html else None
        html = html or render_html(decision)
        return self.render_to_response(self.get_context_data(decision=decision, document=html, back=None))


class AttachOriginalView(ActionView, View):
    performer = Performer.OFFICIAL
    """An official attaches the archived original of a decision made outside this system."""

    form_class = OriginalDecisionForm

    def get_form(self, subject):
        return self.form_class(self.request.POST, self.request.FILES)

    def get_subject(self):
        return get_object_or_404(Decision.objects.select_related("application"), pk=self.kwargs["pk"])

    def act(self, decision, form):
        upload = form.cleaned_data["file"]
        services.attach_original_decision(decision=decision, upload=upload, by=self.request.user)
        return _("The archived original was attached.")

    def redirect_to(self, decision):
        return reverse("processing:case", args=[decision.application_id])


class DiaryNumberView(ActionView, View):
    performer = Performer.OFFICIAL
    form_class = DiaryNumberForm

    def get_subject(self):
        return get_object_or_404(Application, pk=self.kwargs["pk"])

    def act(self, application, form):
        services.record_diary_number(
            application=application, diary_number=form.cleaned_data["diary_number"], by=self.request.user
        )
        return _("The diary number was recorded.")

    def redirect_to(self, application):
        return reverse("processing:case", args=[application.pk])


class RecordLetterView(ActionView, View):
    """An official records the day a decision was posted (without consent to electronic notification)."""

    performer = Performer.OFFICIAL
    form_class = LetterForm

    def get_form(self, subject):
        return self.form_class(self.request.POST, prefix=f"l{subject.pk}")

    def get_subject(self):
        return get_object_or_404(IssuedDocument.objects.select_related("application"), pk=self.kwargs["pk"])

    def act(self, document, form):
        services.record_letter(document=document, sent_on=form.cleaned_data["sent_on"], by=self.request.user)
        return _("The notification by letter was recorded.")

    def redirect_to(self, document):
        return reverse("processing:case", args=[document.application_id])


class DecideRectificationView(ActionView, View):
    """An official other than the decision's preparer decides a request for rectification."""

    performer = Performer.OFFICIAL
    form_class = RectificationDecisionForm

    def get_form(self, subject):
        return self.form_class(self.request.POST, prefix=f"r{subject.pk}")

    def get_subject(self):
        return get_object_or_404(
            RectificationRequest.objects.select_related("application", "document"), pk=self.kwargs["pk"]
        )

    def act(self, request, form):
        services.decide_rectification(request=request, by=self.request.user, **form.cleaned_data)
        return _("The request for rectification was decided.")

    def redirect_to(self, request):
        return reverse("processing:case", args=[request.application_id])
