"""Sign-in, sign-out and the user's own profile. Password reset uses Django's views as they are."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.translation import gettext as _
from django.views.generic import UpdateView

from .forms import EmailAuthenticationForm, PreferredLanguagePasswordResetForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = self.get_redirect_url()
        if url:
            return url
        # Without a `next`, land in "My cases" in the user's own language.
        return translate_url(reverse("applications:my-cases"), self.request.user.preferred_language)


class ProfileView(UpdateView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your details were saved."))
        return response

    def get_success_url(self):
        return translate_url(reverse("accounts:profile"), self.object.preferred_language)

    def get_context_data(self, **kwargs):
        memberships = self.request.user.memberships.select_related("organisation")
        return super().get_context_data(memberships=memberships, **kwargs)


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=PreferredLanguagePasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
