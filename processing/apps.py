from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    """The ministry's back office: worklists, cases, decisions, reviews, follow-up and exports. No models."""

    name = "processing"
    verbose_name = "Processing"

    def ready(self):
        from . import signals  # noqa: F401 (forgets the cached municipality lists when one changes)
