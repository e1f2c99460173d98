from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces that no domain owns: formatting, translation helpers, fields, widgets, responses and
    template tags. No models, and no imports of the project's other apps."""

    name = "core"
    verbose_name = "Core"
