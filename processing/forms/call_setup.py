"""A call prepared by officials: its form, the rows of its emphasis areas, criteria and contacts, and
its closing (processing/views/call_setup.py)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, MoneyField, PercentField
from grants.models import Call


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
