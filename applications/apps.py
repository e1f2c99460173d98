from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and cases")

    def ready(self):
        from . import waiting

        waiting.connect()
