"""App configurations of third-party apps, with names in the site's languages."""

from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import apps as static_apps
from django_otp.plugins.otp_totp import apps as totp_apps
from django_tasks_db import apps as tasks_db_apps


# The administrators' site is translated too: the third-party apps it shows get names in Finnish and
# Swedish here (their own catalogues have none), and their models' names where the app left them plain.
class SignInProtectionConfig(axes_apps.AppConfig):
    verbose_name = _("Sign-in protection")


class AuthenticatorConfig(totp_apps.DefaultConfig):
    verbose_name = _("Second factor: authenticator apps")

    def ready(self):
        super().ready()
        model = self.get_model("TOTPDevice")
        model._meta.verbose_name = _("authenticator app")
        model._meta.verbose_name_plural = _("authenticator apps")


class RecoveryCodesConfig(static_apps.DefaultConfig):
    verbose_name = _("Second factor: recovery codes")

    def ready(self):
        super().ready()
        model = self.get_model("StaticDevice")
        model._meta.verbose_name = _("set of recovery codes")
        model._meta.verbose_name_plural = _("sets of recovery codes")


class BackgroundTasksConfig(tasks_db_apps.TasksAppConfig):
    verbose_name = _("Background tasks")


# The names axes and django-tasks-db give their models, translated in our catalogues.
THIRD_PARTY_LABELS = (
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("access log"),
    _("access logs"),
    _("Task Result"),
    _("Task Results"),
)
