"""Forms of the ministry's side."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

from .forms import DateInput, MoneyField
from .models import EligibilityCheck, Outcome

ITEM_LABELS = {
    "arrived_in_time": _("The application arrived within the application period."),
    "municipalities": _("Enough municipalities take part and have confirmed."),
    "emphasis_area": _("The application emphasises one of the call's emphasis areas."),
    "max_share": _("The requested grant is at most the maximum share of the eligible costs."),
    "eligible_costs": _("The costs are eligible."),
}
JUDGEMENTS = [("yes", _("Met")), ("no", _("Not met"))]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Internal comment"), max_length=5000, widget=forms.Textarea)


class EligibilityForm(forms.Form):
    """One judgement and note per formal requirement, prefilled from the application's data."""

    def __init__(self, *args, prefill=None, **kwargs):
        super().__init__(*args, **kwargs)
        prefill = prefill or {}
        for item in EligibilityCheck.ITEMS:
            self.fields[item] = forms.ChoiceField(
                label=ITEM_LABELS[item],
                choices=JUDGEMENTS,
                widget=forms.RadioSelect,
                initial=prefill.get(item),
            )
            self.fields[f"{item}_note"] = forms.CharField(
                label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def judgements(self):
        return {item: self.cleaned_data[item] == "yes" for item in EligibilityCheck.ITEMS}

    def notes(self):
        return {item: self.cleaned_data[f"{item}_note"] for item in EligibilityCheck.ITEMS}


class InformationRequestForm(forms.Form):
    message = forms.CharField(label=_("What is asked"), max_length=5000, widget=forms.Textarea)
    deadline = forms.DateField(label=_("Answer by"), widget=DateInput)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."), code="past")
        return deadline


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=10000, widget=forms.Textarea)


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

    def __init__(self, *args, criteria, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
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
        return data

    def scores(self):
        return {
            criterion.pk: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"justification_{criterion.pk}"],
            )
            for criterion in self.criteria
        }


class ProposalForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Proposal"), choices=Outcome.choices, widget=forms.RadioSelect)
    granted_amount = MoneyField(label=_("Maximum grant (€)"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the decision"),
        choices=[("fi", "Suomi"), ("sv", "Svenska")],
        help_text=_("The lead municipality's language; a bilingual municipality may choose."),
    )
    standard_grounds = forms.MultipleChoiceField(
        label=_("Standard grounds"), required=False, widget=forms.CheckboxSelectMultiple
    )
    grounds_fi = forms.CharField(
        label=_("Grounds in Finnish"), max_length=5000, required=False, widget=forms.Textarea
    )
    grounds_sv = forms.CharField(
        label=_("Grounds in Swedish"), max_length=5000, required=False, widget=forms.Textarea
    )
    conditions_fi = forms.CharField(
        label=_("Conditions in Finnish"), max_length=5000, required=False, widget=forms.Textarea
    )
    conditions_sv = forms.CharField(
        label=_("Conditions in Swedish"), max_length=5000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        from .standard_grounds import STANDARD_GROUNDS

        super().__init__(*args, **kwargs)
        self.fields["standard_grounds"].choices = [
            (key, texts["label"]) for key, texts in STANDARD_GROUNDS.items()
        ]

    def clean(self):
        from .standard_grounds import STANDARD_GROUNDS

        data = super().clean()
        if (
            data.get("outcome") == Outcome.POSITIVE
            and data.get("granted_amount") is None
            and "granted_amount" not in self.errors
        ):
            self.add_error("granted_amount", _("Give the maximum grant."))
        for language in ("fi", "sv"):
            chosen = [STANDARD_GROUNDS[key][language] for key in data.get("standard_grounds", [])]
            written = data.get(f"grounds_{language}", "").strip()
            data[f"grounds_{language}"] = "\n\n".join([*chosen, written] if written else chosen)
        language = data.get("language")
        if language and not data.get(f"grounds_{language}"):
            self.add_error(f"grounds_{language}", _("Give the grounds in the decision's language."))
        return data


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why the proposal is returned"), max_length=2000, widget=forms.Textarea)
