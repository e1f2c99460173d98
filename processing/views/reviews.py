"""A reviewer's pages: their assignments, and one review with the declaration of interests and scores."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.sessions import kept_input
from applications import rules, services
from applications.models import ReviewAssignment

from .. import selectors
from ..forms.reviews import InterestsForm, ReviewForm
from ..mixins import ActionView, ReviewerPage


class MyReviewsView(ReviewerPage, TemplateView):
    template_name = "processing/my_reviews.html"

    def get_context_data(self, **kwargs):
        reviews = (
            ReviewAssignment.objects.filter(reviewer=self.request.user)
            .select_related("application__call", "application__lead")
            .order_by("status", "application__case_sequence")
        )
        return super().get_context_data(reviews=reviews, **kwargs)


class ReviewView(ActionView, ReviewerPage, TemplateView):
    """A reviewer's own review: the declaration of interests first, then scores, saved as a draft or
    completed. Another reviewer's assignment is 404; with a conflict, no scores are shown."""

    template_name = "processing/review.html"
    http_method_names = ["get", "post"]
    restores_input = True  # scores typed before the session expired come back (accounts/sessions.py)

    def get(self, request, *args, **kwargs):
        kept = kept_input(request)
        if kept is not None and "declare" not in kept:
            review = self.get_review()
            form = ReviewForm(kept, criteria=review.application.call.evaluation_criteria.all())
            form.is_valid()
            return self.render_to_response(self.get_context_data(review=review, review_form=form))
        return super().get(request, *args, **kwargs)

    def get_review(self):
        return get_object_or_404(
            ReviewAssignment.objects.select_related("application__call", "application__lead"),
            pk=self.kwargs["pk"],
            reviewer=self.request.user,
        )

    def get_context_data(self, review=None, interests_form=None, review_form=None, **kwargs):
        review = review or self.get_review()
        criteria = review.application.call.evaluation_criteria.all()
        existing = {score.criterion_id: score for score in review.scores.all()}
        application = selectors.case_for_officials(review.application_id)
        return super().get_context_data(
            review=review,
            application=application,
            budget_total=rules.budget_total(application),
            max_grant=rules.max_grant(application),
            interests_form=interests_form or InterestsForm(),
            review_form=review_form or ReviewForm(criteria=criteria, existing=existing),
            **kwargs,
        )

    # The page's two actions, one idiom (applications/views/actions.py): the declaration, or the scores.

    def get_subject(self):
        return self.get_review()

    def declaring(self):
        return "declare" in self.request.POST

    def get_form(self, review):
        if self.declaring():
            return InterestsForm(self.request.POST)
        # Whatever happens, the scores and justifications come back as typed: nothing is lost.
        return ReviewForm(
            self.request.POST,
            criteria=review.application.call.evaluation_criteria.all(),
            completing="complete" in self.request.POST,
        )

    def form_invalid(self, review, form):
        name = "interests_form" if self.declaring() else "review_form"
        return self.render_to_response(self.get_context_data(review=review, **{name: form}))

    def act(self, review, form):
        if self.declaring():
            services.declare_interests(
                review=review,
                has_conflict=form.cleaned_data["conflict"] == "yes",
                note=form.cleaned_data["note"],
                by=self.request.user,
            )
            return _("Your declaration was saved.")
        complete = "complete" in self.request.POST
        services.save_review(review=review, scores=form.scores(), complete=complete, by=self.request.user)
        return _("The review was completed.") if complete else _("The draft review was saved.")

    def redirect_to(self, review):
        return reverse("processing:review", kwargs={"pk": review.pk})
