"""Tests: fast hashing, mail kept in memory, uploads in a throw-away folder (removed when the process
ends: each pytest process, xdist's workers included, has its own)."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="grants-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

STATIC_ROOT = None  # WhiteNoise serves from the finders; no collectstatic needed
WHITENOISE_USE_FINDERS = True
# Django's live test server wraps the site in a media-file handler that cannot take MEDIA_URL = None. The
# site itself never builds media URLs (files go through permission-checked views); this path exists only
# for the test server's wrapper.
MEDIA_URL = "/test-server-media/"
