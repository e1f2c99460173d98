"""The case page's forms: the internal comment, the eligibility check, a request for information and
the proposal for a decision (processing/views/case.py)."""

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications import rules, services
from applications.models import DECISION_LANGUAGES, EligibilityCheck, Outcome
from core.forms import DateInput, MoneyField

from ..standard_grounds import STANDARD_GROUNDS

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

    @classmethod
    def for_application(cls, application):
        """The saved check as initial data, over what the application's data already tells."""
        check = getattr(application, "eligibility", None)
        initial = {}
        if check is not None:
            initial = {item: "yes" if getattr(check, item) else "no" for item in EligibilityCheck.ITEMS}
            initial.update(
                {f"{item}_note": getattr(check, f"{item}_note") for item in EligibilityCheck.ITEMS}
            )
        return cls(initial=initial, prefill=prefill_eligibility(application))

    def judgements(self):
        return {item: self.cleaned_data[item] == "yes" for item in EligibilityCheck.ITEMS}

    def notes(self):
        return {item: self.cleaned_data[f"{item}_note"] for item in EligibilityCheck.ITEMS}


def prefill_eligibility(application):
    """What the data already tells about each formal requirement."""
    checklist = {
        rule.code: rule.met for rule in rules.submission_checklist(application, application.submitted_at)
    }
    arrived = application.submitted_at is not None and application.submitted_at < application.call.closes_at
    return {
        "arrived_in_time": "yes" if arrived else "no",
        "municipalities": "yes" if checklist["municipalities"] else "no",
        "emphasis_area": "yes" if checklist["emphasis_area"] else "no",
        "max_share": "yes" if checklist["max_share"] else "no",
    }


class InformationRequestForm(forms.Form):
    message = forms.CharField(label=_("What is asked"), max_length=5000, widget=forms.Textarea)
    deadline = forms.DateField(label=_("Answer by"), widget=DateInput)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."), code="past")
        return deadline


class ProposalForm(forms.Form):
    # The proposal says what the decision does ("Myönnetään / Hylätään"), not the status it leads to.
    outcome = forms.ChoiceField(
        label=_("Proposal"),
        choices=[(Outcome.POSITIVE, _("Grant")), (Outcome.NEGATIVE, _("Reject"))],
        widget=forms.RadioSelect,
    )
    granted_amount = MoneyField(label=_("Maximum grant (€)"), required=False)
    # The proposal as it was when the page was opened (services.proposal_version): a send from an older
    # page is refused, not silently written over another official's proposal.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    language = forms.ChoiceField(
        label=_("Language of the decision"),
        choices=DECISION_LANGUAGES,
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

        super().__init__(*args, **kwargs)
        self.fields["standard_grounds"].choices = [
            (key, texts["label"]) for key, texts in STANDARD_GROUNDS.items()
        ]

    def clean(self):

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


def ineligibility_grounds(eligibility):
    """The failed requirements and the official's notes, in Finnish and in Swedish."""
    grounds = {}
    for language in ("fi", "sv"):
        with translation.override(language):
            lines = [gettext("The application does not meet the call's formal requirements:")]
            lines += [f"- {ITEM_LABELS[item]} {note}".rstrip() for item, note in eligibility.failed_items()]
            grounds[f"grounds_{language}"] = "\n".join(lines)
    return grounds


def proposal_initial(application):
    """The saved proposal; an ineligible application without one goes to a rejection, with the failed
    requirements as its grounds."""
    decision = getattr(application, "decision", None)
    eligibility = getattr(application, "eligibility", None)
    initial = {
        "language": application.document_language,
        "granted_amount": decision.granted_amount if decision else None,
        "outcome": decision.outcome if decision else None,
        "version": services.proposal_version(decision),
    }
    if decision is None and eligibility is not None and not eligibility.is_eligible:
        initial.update(outcome=Outcome.NEGATIVE, **ineligibility_grounds(eligibility))
    return initial
