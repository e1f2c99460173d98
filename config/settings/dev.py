"""Local development: DEBUG on, console mail, SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403

DEBUG = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

STATIC_ROOT = None  # WhiteNoise serves from the finders; no collectstatic needed
WHITENOISE_USE_FINDERS = True
