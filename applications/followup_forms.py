"""Forms of the follow-up: payment requests, changes and reports by the lead; checks by officials."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, MoneyField, MunicipalityField, UploadField
from .models import ChangeKind, ChangeStatus, CostCategory, ReportKind


class PaymentRequestForm(forms.Form):
    period_start = forms.DateField(label=_("Costs from"), widget=DateInput)
    period_end = forms.DateField(label=_("Costs until"), widget=DateInput)
    ledger = UploadField(
        label=_("General-ledger extract"),
        help_text=_("The project's bookkeeping for the period, as PDF or a spreadsheet."),
        max_length=200,
    )
    is_final = forms.BooleanField(label=_("This is the final payment request"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in CostCategory.choices:
            self.fields[f"{category}_amount"] = MoneyField(
                label=_("%(category)s: realised costs, VAT excluded (€)") % {"category": label},
                required=False,
            )
            self.fields[f"{category}_description"] = forms.CharField(
                label=_("%(category)s: what the costs are") % {"category": label},
                max_length=300,
                required=False,
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if not any(data.get(f"{category}_amount") for category in CostCategory.values) and not self.errors:
            raise forms.ValidationError(_("Enter the realised costs of at least one cost category."))
        return data

    def costs(self):
        return {
            category: (
                self.cleaned_data[f"{category}_description"] or str(label),
                self.cleaned_data[f"{category}_amount"],
            )
            for category, label in CostCategory.choices
            if self.cleaned_data.get(f"{category}_amount")
        }


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Change"), choices=ChangeKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label=_("What is changed and why"), max_length=5000, widget=forms.Textarea)
    new_use_period_end = forms.DateField(
        label=_("New end of the use period"),
        required=False,
        widget=DateInput,
        help_text=_("Only for an extension."),
    )
    new_participant = MunicipalityField(
        label=_("Municipality joining the project"),
        required=False,
        help_text=_("Only for a change of participants. Its staff then confirm in the system."),
    )

    def __init__(self, *args, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_lines = list(budget_lines)
        self.fields["new_participant"].widget.attrs.update(
            {"list": "municipality-options", "autocomplete": "off"}
        )
        for line in self.budget_lines:
            self.fields[f"line_{line.pk}"] = MoneyField(
                label=_("New amount: %(line)s")
                % {"line": f"{line.get_category_display()}, {line.description}"},
                required=False,
                initial=line.amount,
                help_text=_("Only for changes between budget lines; the total stays the same."),
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (
            kind == ChangeKind.EXTENSION
            and not data.get("new_use_period_end")
            and "new_use_period_end" not in self.errors
        ):
            self.add_error("new_use_period_end", _("An extension names the new end of the use period."))
        if (
            kind == ChangeKind.PARTICIPANTS
            and not data.get("new_participant")
            and "new_participant" not in self.errors
        ):
            self.add_error("new_participant", _("Name the municipality that joins the project."))
        return data

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "description": data["description"],
            "new_use_period_end": data["new_use_period_end"],
            "budget_changes": {
                line.pk: data[f"line_{line.pk}"]
                for line in self.budget_lines
                if data.get(f"line_{line.pk}") is not None
            },
            "new_participant": data["new_participant"],
        }


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices, widget=forms.RadioSelect)
    achieved = forms.CharField(
        label=_("What was achieved against the plan"), max_length=10000, widget=forms.Textarea
    )
    spread = forms.CharField(label=_("How the results were spread"), max_length=5000, widget=forms.Textarea)
    continues = forms.CharField(
        label=_("What continues after the project"), max_length=5000, widget=forms.Textarea
    )
    realised_costs = MoneyField(label=_("Realised eligible costs, VAT excluded (€)"))
    own_financing = MoneyField(label=_("Realised own financing (€)"))


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


class ReturnDecisionForm(forms.Form):
    until = forms.DateField(label=_("Interest counted until"), widget=DateInput)
    is_recovery = forms.BooleanField(
        label=_("Recovery: the grant was used against the decision"), required=False
    )
    grounds = forms.CharField(label=_("Grounds"), max_length=5000, widget=forms.Textarea)


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("Repaid (€)"))
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DateInput)
