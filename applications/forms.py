"""Forms of the applicant's side. Each rejects bad input with a message next to its field."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.forms import MunicipalityField
from accounts.models import Organisation
from core.formatting import format_euros
from core.forms import DateInput, MoneyField, PercentField

from . import attachments, rules
from .models import APPLICANT_FIELDS, Application, ChangeKind, CostCategory, ReportKind

TEXT_LIMIT = 5000


class StartApplicationForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Lead applicant"), queryset=Organisation.objects.none(), empty_label=None
    )
    project_name = forms.CharField(label=_("Project name"), max_length=250)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = municipalities
        self.fields["lead"].help_text = _("The municipality that applies for and receives the grant.")


SUBMISSION_NEEDS = ("emphasis_area", "start_date", "end_date", "requested_amount", "own_financing")


class ApplicationForm(forms.ModelForm):
    """The application's content. `budget_total` is set by the view from the validated budget."""

    class Meta:
        model = Application
        fields = APPLICANT_FIELDS
        widgets = {
            "emphasis_area": forms.RadioSelect,
            "start_date": DateInput,
            "end_date": DateInput,
        }

    requested_amount = MoneyField(label=_("Requested grant (€)"), required=False)
    own_financing = MoneyField(label=_("Own financing (€)"), required=False)

    def __init__(self, *args, call, budget_total=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.budget_total = budget_total
        self.fields["project_name"].required = True
        # Not required to save a draft, but to submit it (rules.submission_checklist): marked so.
        for name in (*(field for field, _label in rules.REQUIRED_TEXTS), *SUBMISSION_NEEDS):
            if name in self.fields and not self.fields[name].required:
                self.fields[name].required_to_submit = True
        for name in ("summary", "objectives", "actions", "schedule", "expected_results", "dissemination"):
            field = self.fields[name]
            field.max_length = 3000 if name == "summary" else TEXT_LIMIT
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs["maxlength"] = field.max_length
        self.fields["emphasis_area"].queryset = call.emphasis_areas.all()
        self.fields["emphasis_area"].empty_label = None
        self.fields["emphasis_area"].help_text = _("Choose exactly one of the call's emphasis areas.")
        period = self._use_period_text()
        self.fields["start_date"].help_text = period
        self.fields["end_date"].help_text = period
        self.fields["requested_amount"].help_text = _(
            "At most %(share)s %% of the total eligible costs, VAT excluded."
        ) % {"share": f"{call.max_share_percent.normalize():f}"}

    def _use_period_text(self):
        end = self.call.use_period_end.strftime("%d.%m.%Y")
        if self.call.use_period_start:
            start = self.call.use_period_start.strftime("%d.%m.%Y")
            return _("Within the use period %(start)s–%(end)s.") % {"start": start, "end": end}
        return _("Ending at the latest on %(end)s.") % {"end": end}

    def clean_start_date(self):
        start = self.cleaned_data.get("start_date")
        if start and self.call.use_period_start and start < self.call.use_period_start:
            raise ValidationError(
                _("The project cannot start before the use period starts."), code="before_period"
            )
        if start and start > self.call.use_period_end:
            raise ValidationError(_("The project must start within the use period."), code="after_period")
        return start

    def clean_end_date(self):
        end = self.cleaned_data.get("end_date")
        if end and end > self.call.use_period_end:
            raise ValidationError(
                _("The project must end by the end of the use period (%(date)s).")
                % {"date": self.call.use_period_end.strftime("%d.%m.%Y")},
                code="after_period",
            )
        if end and self.call.use_period_start and end < self.call.use_period_start:
            raise ValidationError(_("The project must end within the use period."), code="before_period")
        return end

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", ValidationError(_("The project cannot end before it starts."), code="order")
            )
        requested, own, total = data.get("requested_amount"), data.get("own_financing"), self.budget_total
        if total is not None and total > 0 and requested is not None:
            ceiling = rules.share_ceiling(total, self.call)
            if requested > ceiling:
                self.add_error(
                    "requested_amount",
                    ValidationError(
                        _(
                            "The requested grant may be at most %(share)s %% of the eligible costs, "
                            "that is %(max)s."
                        )
                        % {
                            "share": f"{self.call.max_share_percent.normalize():f}",
                            "max": format_euros(ceiling),
                        },
                        code="over_share",
                    ),
                )
            elif own is not None and requested + own != total:
                self.add_error(
                    "own_financing",
                    ValidationError(
                        _(
                            "The requested grant and own financing must add up to the eligible costs, "
                            "%(total)s."
                        )
                        % {"total": format_euros(total)},
                        code="unbalanced",
                    ),
                )
        return data


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Cost category"), choices=[("", _("Choose")), *CostCategory.choices])
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = MoneyField(label=_("Amount, VAT excluded (€)"))


class BaseBudgetFormSet(forms.BaseFormSet):
    summary_label = _("Budget")  # how the error summary names a row: "Budget, row 3: …"

    def lines(self):
        """The kept rows as {category, description, amount}; empty and removed rows are left out."""
        return [
            {name: form.cleaned_data[name] for name in ("category", "description", "amount")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]

    def is_readable(self):
        """False when the hidden bookkeeping fields were tampered with, or there are too many rows:
        such input could never be corrected on the page."""
        management = self.management_form
        return (
            management.is_valid()
            and management.cleaned_data["TOTAL_FORMS"] >= 0
            and management.cleaned_data["INITIAL_FORMS"] >= 0
            and not self.non_form_errors()
        )

    def total(self):
        return sum((line["amount"] for line in self.lines()), Decimal("0"))

    def shown_total(self):
        """The sum of the amounts on the page that are valid amounts, in rows not marked for removal, even
        when another cell of the budget is wrong."""
        self.is_valid()
        return sum(
            (
                form.cleaned_data["amount"]
                for form in self.forms
                if "amount" in form.cleaned_data and not form.cleaned_data.get("DELETE", False)
            ),
            Decimal("0"),
        )


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseBudgetFormSet, extra=3, can_delete=True, max_num=100, validate_max=True
)


def budget_initial(application):
    return [
        {"category": line.category, "description": line.description, "amount": line.amount}
        for line in application.budget_lines.all()
    ]


class AddParticipantForm(forms.Form):
    municipality = MunicipalityField(
        label=_("Municipality"),
        help_text=_(
            "Type the municipality's name in Finnish or Swedish, or its code, and choose it from the list."
        ),
    )
    share_percent = PercentField(label=_("Share of the costs (%)"), required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["municipality"].widget.attrs.update(
            {"list": "municipality-options", "autocomplete": "off"}
        )

    def clean_municipality(self):
        municipality = self.cleaned_data["municipality"]
        if municipality.pk == self.application.lead_id:
            raise ValidationError(_("The lead applicant is already part of the application."), code="lead")
        if self.application.participants.filter(organisation=municipality).exists():
            raise ValidationError(rules.already_takes_part(municipality), code="twice")
        return municipality


class SharesForm(forms.Form):
    """One share field per participating municipality; the shares must add up to 100 %."""

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            self.fields[f"share_{participant.pk}"] = PercentField(
                label=_("Share of %(name)s (%%)") % {"name": participant.organisation.name},
                initial=participant.share_percent,
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        total = sum(
            (data[f"share_{p.pk}"] for p in self.participants if p.status != "declined"), Decimal("0")
        )
        if total != Decimal("100"):
            raise ValidationError(
                _("The shares add up to %(total)s %%; they must add up to 100 %%.") % {"total": f"{total:f}"},
                code="sum",
            )
        return data

    def shares(self):
        return {p.pk: self.cleaned_data[f"share_{p.pk}"] for p in self.participants}


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return attachments.check_upload(upload)


class AttachmentForm(forms.Form):
    file = UploadField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT, ODS, PNG or JPEG, at most %(limit)s MB."),
        max_length=200,
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = self.fields["file"].help_text % {"limit": limit}
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"


class ParticipationForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Does your municipality take part in this project?"),
        choices=[("confirm", _("Yes, we take part")), ("decline", _("No, we do not take part"))],
        widget=forms.RadioSelect,
    )
    commitment = UploadField(
        label=_("Commitment document (optional)"),
        required=False,
        help_text=_("For example the decision of the municipal board or a signed commitment, as PDF."),
        max_length=200,
    )


class SubmitForm(forms.Form):
    """The declaration, and the applicant's consent to electronic notification, asked at submission; the
    consent is recorded with its moment."""

    declaration = forms.BooleanField(
        label=_(
            "I declare that the information in the application is correct, that I may submit it on behalf "
            "of the lead municipality, and that the participating municipalities have committed to the "
            "project and its financing as stated."
        ),
        error_messages={"required": _("Confirm the declaration to submit the application.")},
    )

    electronic_notification = forms.BooleanField(
        label=_("Decisions in this case may be notified to us electronically"),
        required=False,
        help_text=_(
            "With consent, a decision is sent by email and deemed notified on the third day after it was "
            "sent (Act on Electronic Services in Government 13/2003 § 19). Without it, decisions are sent by "
            "letter and deemed notified on the seventh day (Administrative Procedure Act 434/2003 § 59)."
        ),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=1000, required=False, widget=forms.Textarea
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw the application"), required=True)


# --- Follow-up of an awarded project: payment requests, changes and reports by the lead ---


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


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=10000, widget=forms.Textarea)


class JoiningForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Does your municipality join this project?"),
        choices=[("confirm", _("Yes, we join")), ("decline", _("No, we do not join"))],
        widget=forms.RadioSelect,
    )


class HearingAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=10000, widget=forms.Textarea)


class RectificationRequestForm(forms.Form):
    demands = forms.CharField(
        label=_("Rectification requested"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("Which part of the decision should change, and how."),
    )
    grounds = forms.CharField(label=_("Grounds"), max_length=10000, widget=forms.Textarea)
