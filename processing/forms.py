"""Forms of the ministry's side."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from applications import rules, services
from applications.forms import UploadField
from applications.models import DECISION_LANGUAGES, ChangeStatus, EligibilityCheck, Outcome, ReturnBasis
from core.forms import DateInput, MoneyField, PercentField
from grants.models import Call

from .standard_grounds import STANDARD_GROUNDS

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


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why the proposal is returned"), max_length=2000, widget=forms.Textarea)


# --- Follow-up: the officials' checks and decisions ---


class PaymentCheckForm(forms.Form):
    """Per cost line: rejected or not, with a reason; the note of the check."""

    note = forms.CharField(
        label=_("Note of the check"), max_length=3000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"reject_{line.pk}"] = forms.BooleanField(
                label=_("Reject: %(line)s") % {"line": f"{line.get_category_display()}, {line.description}"},
                required=False,
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("Reason"), max_length=500, required=False
            )

    def clean(self):
        data = super().clean()
        for line in self.lines:
            if data.get(f"reject_{line.pk}") and not data.get(f"reason_{line.pk}", "").strip():
                self.add_error(f"reason_{line.pk}", _("Give the reason for rejecting the cost."))
        return data

    def rejections(self):
        return {
            line.pk: self.cleaned_data[f"reason_{line.pk}"]
            for line in self.lines
            if self.cleaned_data[f"reject_{line.pk}"]
        }


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    reference = forms.CharField(label=_("Payment reference"), max_length=60)


class PastPaymentForm(forms.Form):
    amount = MoneyField(label=_("Amount paid (€)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    reference = forms.CharField(label=_("Payment reference"), max_length=60)


class ChangeDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in ChangeStatus.choices if c[0] != ChangeStatus.PENDING],
        widget=forms.RadioSelect,
    )
    decided_use_period_end = forms.DateField(
        label=_("End of the use period, if accepted with changes"), required=False, widget=DateInput
    )
    grounds = forms.CharField(label=_("Grounds"), max_length=5000, widget=forms.Textarea)


class ReportCheckForm(forms.Form):
    content_note = forms.CharField(label=_("Content check"), max_length=3000, widget=forms.Textarea)
    accepted_costs = MoneyField(label=_("Accepted eligible costs (€)"))
    financial_note = forms.CharField(label=_("Financial check"), max_length=3000, widget=forms.Textarea)


class HearingForm(forms.Form):
    basis = forms.ChoiceField(label=_("Ground"), choices=ReturnBasis.choices, widget=forms.RadioSelect)
    proposed_amount = MoneyField(
        label=_("Amount considered (€)"),
        required=False,
        help_text=_(
            "For a recovery: all or part of what was paid. An excess is computed from the final report."
        ),
    )
    stop_payments = forms.BooleanField(label=_("Further payments would be stopped (§ 21)"), required=False)
    facts = forms.CharField(
        label=_("What the ministry intends and why"), max_length=5000, widget=forms.Textarea
    )
    deadline = forms.DateField(label=_("Answer by"), widget=DateInput)


class ReturnDecisionForm(forms.Form):
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        help_text=_("Interest under § 24 runs until this day; late-payment interest under § 25 after it."),
    )
    amount = MoneyField(
        label=_("Amount recovered (€)"),
        required=False,
        help_text=_("For a recovery; empty: the amount considered in the hearing."),
    )
    grounds = forms.CharField(label=_("Grounds"), max_length=5000, widget=forms.Textarea)


class LetterForm(forms.Form):
    sent_on = forms.DateField(label=_("Letter sent on"), widget=DateInput)


class RectificationDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept the request")), ("0", _("Reject the request"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    new_granted_amount = MoneyField(
        label=_("Amended maximum grant (€)"),
        required=False,
        help_text=_("Only when an accepted request amends a grant decision or a rejection."),
    )
    grounds = forms.CharField(label=_("Grounds"), max_length=10000, widget=forms.Textarea)
    appeal_court = forms.CharField(
        label=_("Administrative court for an appeal"),
        max_length=200,
        help_text=_("The competent court under the Administrative Judicial Procedure Act (808/2019) § 12."),
    )


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("Repaid (€)"))
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DateInput)


class DiaryNumberForm(forms.Form):
    diary_number = forms.CharField(
        label=_("Diary number"),
        max_length=60,
        help_text=_("The case's number in the ministry's case register, for example VN/1234/2026."),
    )


class OriginalDecisionForm(forms.Form):
    file = UploadField(label=_("Archived original decision (PDF)"), max_length=200)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.content_type != "application/pdf":
            raise ValidationError(_("Attach the decision as a PDF file."), code="not_pdf")
        return upload


# --- Calls, prepared by officials -------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    """A date and time in Helsinki time (the active time zone), typed in the browser's own picker."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CallForm(forms.ModelForm):
    """A call's own facts, in Finnish and Swedish (English optional)."""

    appropriation = MoneyField(label=_("Appropriation (€)"), help_text=_("Awards may never exceed this sum."))
    max_share_percent = PercentField(label=_("Maximum share of eligible costs (%)"))

    class Meta:
        model = Call
        fields = [
            "programme",
            "year",
            "name_fi",
            "name_sv",
            "name_en",
            "purpose_fi",
            "purpose_sv",
            "purpose_en",
            "rules_fi",
            "rules_sv",
            "rules_en",
            "legal_basis_fi",
            "legal_basis_sv",
            "legal_basis_en",
            "terms_fi",
            "terms_sv",
            "terms_en",
            "appropriation",
            "budget_item",
            "appropriation_available_until",
            "diary_number",
            "opens_at",
            "closes_at",
            "use_period_start",
            "use_period_end",
            "max_share_percent",
            "min_municipalities",
            "case_number_prefix",
            "final_report_months",
            "interim_report_required",
            "interim_report_due",
        ]
        widgets = {
            "name_fi": forms.TextInput(attrs={"lang": "fi"}),
            "name_sv": forms.TextInput(attrs={"lang": "sv"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            **{
                f"{text}_{language}": forms.Textarea(attrs={"rows": 4, "lang": language})
                for text in ("purpose", "rules", "legal_basis", "terms")
                for language in ("fi", "sv", "en")
            },
            "appropriation_available_until": DateInput(),
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "use_period_start": DateInput(),
            "use_period_end": DateInput(),
            "interim_report_due": DateInput(),
        }
        help_texts = {
            "opens_at": _("Helsinki time. Empty: the call opens for applications when it is opened."),
            "closes_at": _("Helsinki time. Applications are accepted until this moment."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = self.fields["programme"].queryset
        self.fields["programme"].empty_label = gettext("Choose")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            if programmes.count() == 1:
                self.initial.setdefault("programme", programmes.get().pk)

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and opens_at >= closes_at:
            self.add_error("closes_at", _("The application period must open before it closes."))
        start, end = cleaned.get("use_period_start"), cleaned.get("use_period_end")
        if start and end and start > end:
            self.add_error("use_period_end", _("The use period must start before it ends."))
        if cleaned.get("interim_report_required") and not cleaned.get("interim_report_due"):
            self.add_error("interim_report_due", _("Give the due date of the interim report."))
        return cleaned


class BaseRowsFormSet(forms.BaseFormSet):
    """Rows of a call (emphasis areas, criteria, contacts); empty and removed rows are left out."""

    summary_label = ""
    fields: tuple[str, ...] = ()

    def rows(self):
        """A draft may be saved with none; opening the call needs them (workflow guard)."""
        return [
            {name: form.cleaned_data[name] for name in self.fields}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]


class EmphasisAreaRowForm(forms.Form):
    name_fi = forms.CharField(
        label=_("Name in Finnish"), widget=forms.Textarea(attrs={"rows": 2, "lang": "fi"})
    )
    name_sv = forms.CharField(
        label=_("Name in Swedish"), widget=forms.Textarea(attrs={"rows": 2, "lang": "sv"})
    )
    name_en = forms.CharField(
        label=_("Name in English"), required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": "en"})
    )


class EmphasisAreaFormSet(BaseRowsFormSet):
    summary_label = _("Emphasis areas")
    fields = ("name_fi", "name_sv", "name_en")


class CriterionRowForm(forms.Form):
    name_fi = forms.CharField(
        label=_("Name in Finnish"), max_length=300, widget=forms.TextInput(attrs={"lang": "fi"})
    )
    name_sv = forms.CharField(
        label=_("Name in Swedish"), max_length=300, widget=forms.TextInput(attrs={"lang": "sv"})
    )
    name_en = forms.CharField(
        label=_("Name in English"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    description_fi = forms.CharField(
        label=_("Description in Finnish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "fi"}),
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "sv"}),
    )
    weight = PercentField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=Decimal("999.99"),
        max_digits=5,
        decimal_places=2,
    )


class CriterionFormSet(BaseRowsFormSet):
    summary_label = _("Evaluation criteria")
    fields = ("name_fi", "name_sv", "name_en", "description_fi", "description_sv", "weight")


class ContactRowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title_fi = forms.CharField(
        label=_("Title in Finnish"), max_length=200, widget=forms.TextInput(attrs={"lang": "fi"})
    )
    title_sv = forms.CharField(
        label=_("Title in Swedish"), max_length=200, widget=forms.TextInput(attrs={"lang": "sv"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"))


class ContactFormSet(BaseRowsFormSet):
    summary_label = _("Contact persons")
    fields = ("name", "title_fi", "title_sv", "phone", "email")


def call_formsets(data=None, call=None):
    """The call's emphasis areas, criteria and contacts as formsets, each with two empty rows to add."""
    kinds = (
        ("areas", EmphasisAreaRowForm, EmphasisAreaFormSet, "emphasis_areas"),
        ("criteria", CriterionRowForm, CriterionFormSet, "evaluation_criteria"),
        ("contacts", ContactRowForm, ContactFormSet, "contacts"),
    )
    formsets = {}
    for prefix, form, base, related in kinds:
        formset_class = forms.formset_factory(
            form, formset=base, extra=2, can_delete=True, max_num=30, validate_max=True
        )
        if data is not None:
            formsets[prefix] = formset_class(data, prefix=prefix)
        else:
            initial = (
                [{name: getattr(row, name) for name in base.fields} for row in getattr(call, related).all()]
                if call is not None
                else []
            )
            formsets[prefix] = formset_class(prefix=prefix, initial=initial)
    return formsets


class CloseCallForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for ending the application period now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the call's page and told to the municipalities with a draft."),
    )
