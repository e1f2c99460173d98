"""Reviewers' assignment, their declarations of interest and their scores (processing/views/reviews.py,
calls.py)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.forms import DateInput


def reviewers():
    return (
        get_user_model()
        .objects.filter(memberships__role=Role.REVIEWER, is_active=True)
        .distinct()
        .order_by("full_name")
    )


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(
        label=_("Review by"),
        required=False,
        widget=DateInput,
        help_text=_("Shown to the reviewers on their task page and in the mail that tells them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers()
        self.fields["reviewers"].label_from_instance = lambda user: user.full_name or user.email


class BulkAssignForm(AssignReviewersForm):
    applications = forms.ModelMultipleChoiceField(label=_("Applications"), queryset=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


class InterestsForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        help_text=_("For example a position in, or close ties to, a participating municipality."),
        choices=[
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation (optional)"), max_length=2000, required=False, widget=forms.Textarea
    )


class ReviewForm(forms.Form):
    """A score from 1 to 5 and a justification for each of the call's criteria."""

    def __init__(self, *args, criteria, existing=None, completing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.completing = completing
        existing = existing or {}
        for criterion in self.criteria:
            saved = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score: %(criterion)s") % {"criterion": criterion.name},
                choices=[("", "–")] + [(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                empty_value=None,
                required=False,
                initial=saved.score if saved else None,
                help_text=criterion.description,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification: %(criterion)s") % {"criterion": criterion.name},
                max_length=3000,
                required=False,
                initial=saved.justification if saved else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            score, justification = (
                data.get(f"score_{criterion.pk}"),
                data.get(f"justification_{criterion.pk}", ""),
            )
            if justification and score is None and f"score_{criterion.pk}" not in self.errors:
                self.add_error(f"score_{criterion.pk}", _("Give a score for the justification."))
            elif self.completing and score is None and f"score_{criterion.pk}" not in self.errors:
                self.add_error(f"score_{criterion.pk}", _("Give a score before completing the review."))
            if (
                self.completing
                and not justification.strip()
                and f"justification_{criterion.pk}" not in self.errors
            ):
                self.add_error(
                    f"justification_{criterion.pk}", _("Justify the score before completing the review.")
                )
        return data

    def scores(self):
        return {
            criterion.pk: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"justification_{criterion.pk}"],
            )
            for criterion in self.criteria
        }
