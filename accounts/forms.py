"""Sign-in and profile forms, and the municipality field other apps' forms use."""

import re

from django import forms
from django.conf import settings
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

    def confirm_login_allowed(self, user):
        """With LOCAL_SIGN_IN_FOR_MINISTRY off, ministry roles sign in only through the ministry's provider;
        an administrator's own password (the emergency account) keeps working."""
        super().confirm_login_allowed(user)
        from .permissions import is_ministry_staff

        if not settings.LOCAL_SIGN_IN_FOR_MINISTRY and is_ministry_staff(user) and not user.is_superuser:
            raise ValidationError(
                _("Ministry staff sign in with the ministry's account: use the button above."),
                code="single_sign_on_only",
            )


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


class InvitationForm(forms.Form):
    """Who is invited to which municipality; officials may choose any municipality and invite main users."""

    municipality = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Municipality"))
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation's link is sent here; it is valid for two weeks."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=[("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
    )
    main_user = forms.BooleanField(
        label=_("Main user: may invite the municipality's staff"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .invitations import municipalities_of_main_user
        from .permissions import is_official

        self.fields["municipality"].queryset = municipalities_of_main_user(user).order_by("name_fi")
        self.fields["language"].initial = translation.get_language() or "fi"
        if not is_official(user):
            del self.fields["main_user"]
