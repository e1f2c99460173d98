"""Settings of the demo identity provider; everything comes from DEMO_IDP_* variables set by __main__."""

import os
from pathlib import Path

DIR = Path(os.environ.get("DEMO_IDP_DIR", ".demo-idp")).resolve()
PORT = int(os.environ.get("DEMO_IDP_PORT", "8001"))
# The name the browser uses for it: the same as the service's, so that the two are one site for the
# browser's SameSite rules, as they would be over HTTPS with SameSite=None cookies.
HOST = os.environ.get("DEMO_IDP_HOST", "127.0.0.1")
BASE_URL = f"http://{HOST}:{PORT}"
# The service that uses this provider (our grant system), for its redirect URI and SAML metadata.
SITE_URL = os.environ.get("DEMO_IDP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Tests only: test accounts whose tokens and answers are broken on purpose (demo_idp.faults).
FAULTS = os.environ.get("DEMO_IDP_FAULTS") == "1"

SECRET_KEY = "demo-identity-provider-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "demo_idp",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "demo_idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DIR / "idp.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
# Cookies are per host, not per port: the provider's must not overwrite the service's on 127.0.0.1.
SESSION_COOKIE_NAME = "demo_idp_session"
CSRF_COOKIE_NAME = "demo_idp_csrftoken"
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # a demo; nothing here is secret

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DIR / "oidc.key").read_text() if (DIR / "oidc.key").exists() else "",
    "OAUTH2_VALIDATOR_CLASS": "demo_idp.oidc.DemoValidator",
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "SCOPES": {"openid": "OpenID Connect", "email": "Email address", "profile": "Name"},
    "ID_TOKEN_EXPIRE_SECONDS": 300,
}
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
TIME_ZONE = "Europe/Helsinki"
