from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Everything published: the results pages and their CSV, 360Giving and the read-only API. No models."""

    name = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from . import signals  # noqa: F401 (connects the results cache's signal receivers)
