"""One case in processing: its page with internal comments, and one small POST view per action of an
official on it (eligibility, a request for information, reviewers, the proposal)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from accounts.permissions import is_official
from applications import rules, services
from applications import selectors as app_selectors
from applications.models import Decision, InformationRequest, ReviewAssignment
from applications.statemachine import Performer
from applications.workflow import allows, refusal

from .. import selectors
from ..forms.case import CommentForm, EligibilityForm, InformationRequestForm, ProposalForm, proposal_initial
from ..forms.decisions import DiaryNumberForm, LetterForm, OriginalDecisionForm, RectificationDecisionForm
from ..forms.reviews import AssignReviewersForm
from ..mixins import ActionView, MinistryPage, RestoresKeptAction


class CaseView(ActionView, RestoresKeptAction, MinistryPage, TemplateView):
    """The case page for the ministry; a POST to it saves an internal comment."""

    template_name = "processing/case.html"
    http_method_names = ["get", "post"]
    form_class = CommentForm
    form_name = "comment_form"
    section = "comments-title"  # the section of the page's action, where the page returns after it

    def get_application(self):
        if not hasattr(self, "_application"):
            application = selectors.case_for_officials(self.kwargs["pk"])
            if application is None:
                raise Http404("No such application")
            self._application = application
        return self._application

    def issued_documents(self, user):
        """The issued decisions with what an official may do now: record the letter, decide a request."""
        documents = app_selectors.issued_documents(self.get_application())
        for document in documents:
            document.can_record_letter = allows(document, "record_notification", user)
            document.letter_form = LetterForm(prefix=f"l{document.pk}")  # one page, one form per document
            for rectification in document.rectification_requests.all():
                rectification.application = document.application
                rectification.document = document
                rectification.refusal = refusal(rectification, "accept", user)
                rectification.form = RectificationDecisionForm(prefix=f"r{rectification.pk}")
        return documents

    def get_context_data(self, **forms):
        application = self.get_application()
        user = self.request.user
        decision = getattr(application, "decision", None)
        eligibility = getattr(application, "eligibility", None)
        reviews = list(application.reviews.all())
        stage, next_action = selectors.next_action(application, eligibility, decision, reviews)
        # Read before the checks below, whose unsaved Decision(application=…) is cached on the application.
        proposal = proposal_initial(application)
        allowed = {
            "can_check_eligibility": allows(application, "check_eligibility", user),
            "can_request_information": allows(InformationRequest(application=application), "request", user),
            "can_assign": allows(ReviewAssignment(application=application), "assign", user),
            "can_propose": allows(decision or Decision(application=application), "propose", user),
            "can_record_diary_number": is_official(user),
            "can_attach_original": is_official(user) and application.is_historical,
        }
        # Each action's form is made only where the page shows it (a form deep-copies its fields); an
        # action that refused its input passes its bound form in `forms`, which is shown instead.
        builders = {
            "eligibility_form": (
                "can_check_eligibility",
                lambda: EligibilityForm.for_application(application),
            ),
            "information_form": ("can_request_information", InformationRequestForm),
            "assign_form": ("can_assign", AssignReviewersForm),
            "proposal_form": ("can_propose", lambda: ProposalForm(initial=proposal)),
            "diary_form": (
                "can_record_diary_number",
                lambda: DiaryNumberForm(initial={"diary_number": application.diary_number}),
            ),
            "original_form": ("can_attach_original", OriginalDecisionForm),
        }
        defaults = {"comment_form": CommentForm()}
        defaults.update({name: build() for name, (flag, build) in builders.items() if allowed[flag]})
        defaults.update(forms)
        return super().get_context_data(
            application=application,
            budget_total=rules.budget_total(application),
            max_grant=rules.max_grant(application),
            events=application.events.all(),
            comments=application.internal_comments.all(),
            requests=application.information_requests.all(),
            reviews=reviews,
            completed_reviews=[review for review in reviews if review.is_completed],
            eligibility=eligibility,
            decision=decision,
            issued=self.issued_documents(user),
            stage=stage,
            next_action=next_action,
            **allowed,
            **defaults,
        )

    # The page's own action, an internal comment (the comment workflow step: officials and
    # decision-makers); every other action of the page is a CaseActionView below.

    def get_subject(self):
        return self.get_application()

    def form_invalid(self, application, form):
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))

    def act(self, application, form):
        services.add_internal_comment(
            application=application, text=form.cleaned_data["text"], by=self.request.user
        )
        return _("The comment was saved.")

    def redirect_to(self, application):
        return application.get_processing_url() + (f"#{self.section}" if self.section else "")


class CaseActionView(CaseView):
    """An official's action on one case (POST only); an invalid form shows the case page again with its
    errors, and the page returns to the action's section."""

    http_method_names = ["post"]
    performer = Performer.OFFICIAL
    form_class = None
    form_name = ""
    section = ""


class EligibilityView(CaseActionView):
    form_class = EligibilityForm
    form_name = "eligibility_form"
    section = "eligibility-title"

    def act(self, application, form):
        check = services.record_eligibility(
            application=application, judgements=form.judgements(), notes=form.notes(), by=self.request.user
        )
        if check.is_eligible:
            return _("The eligibility check was saved: eligible.")
        return _(
            "The eligibility check was saved: not eligible. "
            "Propose a rejection with the failed items as grounds."
        )


class InformationRequestView(CaseActionView):
    form_class = InformationRequestForm
    form_name = "information_form"
    section = "requests-title"

    def act(self, application, form):
        services.request_information(application=application, by=self.request.user, **form.cleaned_data)
        return _("The request was sent to the lead applicant.")


class AssignReviewersView(CaseActionView):
    form_class = AssignReviewersForm
    form_name = "assign_form"
    section = "reviews-title"

    def act(self, application, form):
        count = services.assign_reviewers(
            applications=[application],
            reviewers=form.cleaned_data["reviewers"],
            by=self.request.user,
            due_date=form.cleaned_data["due_date"],
        )
        return ngettext("%(count)s reviewer was assigned.", "%(count)s reviewers were assigned.", count) % {
            "count": count
        }


class ProposalView(CaseActionView):
    form_class = ProposalForm
    form_name = "proposal_form"
    section = "decision-title"

    def act(self, application, form):
        data = form.cleaned_data
        services.propose_decision(
            application=application,
            outcome=data["outcome"],
            granted_amount=data["granted_amount"],
            language=data["language"],
            grounds_fi=data["grounds_fi"],
            grounds_sv=data["grounds_sv"],
            conditions_fi=data["conditions_fi"],
            conditions_sv=data["conditions_sv"],
            by=self.request.user,
            version=data["version"] or None,
        )
        return _("The proposal was sent to the decision-maker.")
