"""Sign-in and profile forms, and the municipality field other apps' forms use."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        labels = {"full_name": _("Full name"), "preferred_language": _("Preferred language")}
        help_texts = {"preferred_language": _("The system's emails to you are in this language.")}


class PreferredLanguagePasswordResetForm(PasswordResetForm):
    """Sends the reset link in the language the user chose, whatever the page's language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].preferred_language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class AuthenticatorConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class MunicipalityField(forms.Field):
    """A municipality typed by its code or its Finnish or Swedish name (the page offers a list)."""

    max_length = 120

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length)}

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValidationError(
                _("Type at most %(limit)s characters.") % {"limit": self.max_length}, code="max_length"
            )
        match = re.match(r"^(\d{1,3})\b", text)
        municipalities = Organisation.objects.municipalities()
        if match:
            found = municipalities.filter(code=match.group(1).zfill(3)).first()
        else:
            name = text.split(" – ")[0]
            found = municipalities.filter(Q(name_fi__iexact=name) | Q(name_sv__iexact=name)).first()
        if found is None:
            raise ValidationError(
                _("No municipality has this name or code. Choose one from the list."), code="unknown"
            )
        return found
