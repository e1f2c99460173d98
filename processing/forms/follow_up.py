"""The officials' checks and decisions on an awarded project: payments, changes, reports, the hearing,
the return and its repayments (processing/views/follow_up.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import ChangeStatus, ReturnBasis
from core.forms import DateInput, MoneyField


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


class RepaymentForm(forms.Form):
    amount = MoneyField(label=_("Repaid (€)"))
    repaid_on = forms.DateField(label=_("Repaid on"), widget=DateInput)
