"""The decision-maker's and the registry's forms: a proposal returned, a letter sent, a rectification
decided, a diary number, an archived original (processing/views/decisions.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.forms import UploadField
from core.forms import DateInput, MoneyField


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why the proposal is returned"), max_length=2000, widget=forms.Textarea)


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
