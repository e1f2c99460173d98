"""A case as the municipalities see it: the page, submission, withdrawal, copies, answers and the decision."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import municipality_ids
from core.responses import pdf_response

from .. import notifications, permissions, rules, selectors, services, workflow
from ..documents.application_copy import application_copy_pdf
from ..documents.decision import decision_pdf, made_outside, render_html
from ..forms import (
    InformationAnswerForm,
    ParticipationForm,
    RectificationRequestForm,
    SubmitForm,
    WithdrawForm,
)
from ..models import IssuedDocument, ParticipationStatus
from ..statemachine import Performer, holds
from .base import ApplicantAction, ApplicationMixin


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

    def information_requests(self):
        """The ministry's requests, each marked with whether this user may answer it now."""
        application = self.get_application()
        requests = list(application.information_requests.all())
        for information_request in requests:
            information_request.application = application
            information_request.can_answer = workflow.allows(information_request, "answer", self.request.user)
        return requests

    def issued_documents(self, bound=None):
        """The issued decisions, each with a rectification form (its own prefix: one page, many forms)."""
        documents = selectors.issued_documents(self.get_application(), self.request.user)
        for document in documents:
            if bound is not None and bound.prefix == f"d{document.pk}":
                document.form = bound
            elif document.can_request:
                document.form = RectificationRequestForm(prefix=f"d{document.pk}")
        return documents

    def get_context_data(self, participation_form=None, **kwargs):
        application = self.get_application()
        own_participant = self.own_participant()
        can_respond = own_participant is not None and workflow.allows(
            own_participant, "confirm", self.request.user
        )
        decision = getattr(application, "decision", None)
        return super().get_context_data(
            **self.page_context(
                decision=decision if decision is not None and decision.is_approved else None,
                requests=self.information_requests(),
                answer_form=InformationAnswerForm(),
                own_participant=own_participant,
                participation_form=(participation_form or ParticipationForm()) if can_respond else None,
                budget_total=rules.budget_total(application),
                max_grant=rules.max_grant(application),
                unmet=rules.unmet_rules(application, timezone.now()) if application.is_draft else [],
                events=application.events.all(),
                issued=self.issued_documents(),
            ),
            **kwargs,
        )


class SubmitView(ApplicantAction, TemplateView):
    template_name = "applications/submit.html"
    http_method_names = ["get", "post"]
    form_class = SubmitForm
    page = "receipt"

    def dispatch(self, request, *args, **kwargs):
        # The page reads everything it shows once; the submission reads the case alone for its service.
        application = self.get_application() if request.method == "GET" else self.get_case()
        self.require(permissions.is_lead_staff(request.user, application))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.get_application()
        now = timezone.now()
        checklist = rules.submission_checklist(application, now)
        # The button is the workflow's answer; the checklist explains it rule by rule, and each rule not
        # yet met links to the page where it is fixed.
        ready = workflow.allows(application, "submit", self.request.user, now=now)
        form = kwargs.pop("form", None) or SubmitForm(initial={"electronic_notification": True})
        total = rules.budget_total(application)
        return super().get_context_data(
            **self.page_context(
                checklist=checklist,
                unmet=[(rule, FIXED_ON.get(rule.code, "")) for rule in checklist if not rule.met],
                pending=[
                    p for p in application.participants.all() if p.status == ParticipationStatus.PENDING
                ],
                ready=ready,
                form=form,
                budget_total=total,
                max_grant=rules.max_grant(application, total),
                check_answers=True,
            ),
            **kwargs,
        )

    def get_subject(self):
        return self.get_case()

    def act(self, application, form):
        services.submit_application(
            application=application,
            by=self.request.user,
            electronic_notification=form.cleaned_data["electronic_notification"],
        )
        return ""  # the receipt page says it

    def refused(self, application, form, error):
        messages.error(self.request, str(error))
        if not application.is_draft:
            return redirect(application.get_absolute_url())
        return redirect("applications:submit", pk=application.pk)


# Where each submission rule is put right: the page of the draft that holds it.
FIXED_ON = {
    "required_fields": "applications:edit",
    "no_pending_input": "applications:edit",
    "emphasis_area": "applications:edit",
    "dates": "applications:edit",
    "budget": "applications:edit",
    "financing_balances": "applications:edit",
    "max_share": "applications:edit",
    "municipalities": "applications:participants",
    "no_pending": "applications:participants",
    "shares": "applications:participants",
}


class ReceiptView(ApplicationMixin, TemplateView):
    """After submission: the case number, who got the receipt, and what happens next and when."""

    template_name = "applications/receipt.html"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if application.submitted_at is None:
            return redirect(application.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.get_application()
        return super().get_context_data(
            **self.page_context(receipts=notifications.receipt_addresses(application)), **kwargs
        )


class WithdrawView(ApplicantAction, TemplateView):
    template_name = "applications/withdraw.html"
    http_method_names = ["get", "post"]
    action = "withdraw"
    form_class = WithdrawForm

    def get(self, request, *args, **kwargs):
        return self.refuse(self.get_application()) or super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(**self.page_context(form=form or WithdrawForm()), **kwargs)

    def act(self, application, form):
        services.withdraw_application(
            application=application, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return _("The application was withdrawn.")


class PrintView(ApplicationMixin, TemplateView):
    """A printable copy of the application (the browser's print dialog saves it as PDF)."""

    template_name = "applications/print.html"

    def get_context_data(self, **kwargs):
        application = self.get_application()
        return super().get_context_data(
            **self.page_context(
                budget_total=rules.budget_total(application),
                max_grant=rules.max_grant(application),
                printed_at=timezone.now(),
            ),
            **kwargs,
        )


class InformationAnswerView(ApplicantAction, ApplicationDetailView):
    """The lead municipality's staff answer the ministry's request for additional information."""

    action = "answer"
    form_class = InformationAnswerForm

    def get_subject(self):
        return self.case_item("information_requests", "request_pk")

    def form_invalid(self, information_request, form):
        context = self.get_context_data()
        context.update(answer_form=form, answering=information_request.pk)
        return self.render_to_response(context)

    def act(self, information_request, form):
        services.answer(information_request, answer=form.cleaned_data["answer"], by=self.request.user)
        return _("Your answer was sent to the ministry.")


class DecisionView(ApplicationMixin, TemplateView):
    """The approved decision, as archived, for everyone who may see the application."""

    template_name = "decisions/page.html"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        decision = getattr(application, "decision", None)
        if decision is None or not decision.is_approved:
            raise Http404("No decision yet")
        if made_outside(decision):
            # Decided outside this system: only the archived original, if one was attached, is served.
            if kwargs.get("pdf", False) and decision.document_pdf:
                return decision_pdf(decision)
            raise Http404("Decided outside this system; no document was generated.")
        if kwargs.get("pdf", False):
            return decision_pdf(decision)

        document = decision.document_html or render_html(decision)
        return self.render_to_response(
            self.get_context_data(decision=decision, document=document, back=application.get_absolute_url())
        )


class ApplicationCopyPdfView(ApplicationMixin, View):
    """A PDF copy of the application in the reader's language."""

    def get(self, request, *args, **kwargs):

        application = self.get_application()
        name = (application.case_number or f"draft-{application.pk}").replace("/", "-")
        return pdf_response(
            application_copy_pdf(application, request.LANGUAGE_CODE), f"application-{name}.pdf"
        )


class RectificationRequestView(ApplicantAction, ApplicationDetailView):
    """A municipality taking part requests rectification of an issued decision; the workflow checks the
    period and who may ask."""

    def get_subject(self):
        application = self.get_application()
        self.require(holds(self.request.user, Performer.CASE_STAFF, application))
        return get_object_or_404(IssuedDocument, application=application, pk=self.kwargs["document_pk"])

    def get_form(self, document):
        return RectificationRequestForm(self.request.POST, prefix=f"d{document.pk}")

    def form_invalid(self, document, form):
        context = self.get_context_data()
        context.update(issued=self.issued_documents(bound=form))
        return self.render_to_response(context)

    def act(self, document, form):
        services.submit_rectification(document=document, by=self.request.user, **form.cleaned_data)
        return _("Your request for rectification was registered.")


class IssuedDocumentPdfView(ApplicationMixin, View):
    """An issued decision as archived, for everyone who may see the case."""

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        document = get_object_or_404(IssuedDocument, application=application, pk=kwargs["document_pk"])
        with document.pdf.open("rb") as archived:
            content = archived.read()
        name = (application.case_number or str(application.pk)).replace("/", "-")
        return pdf_response(content, f"{document.kind}-{name}-{document.pk}-{document.language}.pdf")
