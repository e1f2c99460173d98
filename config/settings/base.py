"""Settings shared by every environment; deployment differences come from environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.storage import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "accounts.third_party.SignInProtectionConfig",  # axes, with a translated name
    "django_otp",
    "accounts.third_party.AuthenticatorConfig",  # django_otp.plugins.otp_totp
    "accounts.third_party.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "django_tasks",
    "accounts.third_party.BackgroundTasksConfig",  # django_tasks_db
    "djangosaml2",
    "core",
    "mail",
    "accounts",
    "grants",
    "applications",
    "processing",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # djangosaml2's own session (request.saml_session) for the SAML exchange with Suomi.fi.
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so that its 400 page can show the signed-in navigation; before anything keeps
    # or uses the input.
    "config.middleware.InputHygieneMiddleware",
    "config.middleware.NoStoreWhenSignedInMiddleware",
    "accounts.sessions.IdleExpiryMiddleware",
    # Remembers whose browser this is, so that a form posted after the session expired is kept for them.
    "accounts.sessions.IdentityCookieMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's LoginRequiredMiddleware, keeping a form posted after the session expired (accounts.sessions).
    "accounts.sessions.LoginRequiredKeepingInputMiddleware",
    # After sign-in is required: ministry staff must also have passed their second factor.
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Then the kept input goes back to the page where it was typed.
    "accounts.sessions.KeptInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A single-sign-on session's sign-out form may lead on to its identity provider (accounts.middleware).
    "accounts.middleware.SingleLogoutFormActionMiddleware",
    # Last, as django-axes asks: it turns a lockout during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # The project's templates without their indentation (core/template_loaders.py), then the apps'
            # (the admin's, the libraries'); compiled once a process.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    ["core.template_loaders.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.language_alternates",
                "accounts.context_processors.roles",
                "processing.context_processors.waiting",
            ],
        },
    },
]

# SQLite by default so that a new user needs nothing else; PostgreSQL in production through DATABASE_URL.
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes counts failed sign-ins before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Municipality staff identified by Suomi.fi (accounts.suomifi).
    "accounts.suomifi.SuomiFiBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# A session ends after 30 minutes without a request (each request renews it) and when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=30 * 60)
# The idle limit slides with use, renewed at most once a minute (accounts.sessions.IdleExpiryMiddleware)
# instead of a session write on every page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "grants:home"

# Finland is officially bilingual: Finnish first, Swedish always, English as a courtesy.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files live outside the web root and are served only through permission-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = None
# Several application nodes share their files in S3-compatible object storage: OBJECT_STORAGE_BUCKET names
# the bucket (config/storage.py; README "Topology"). Without it, files stay under MEDIA_ROOT.
OBJECT_STORAGE_BUCKET = env.str("OBJECT_STORAGE_BUCKET", default="")
if OBJECT_STORAGE_BUCKET:
    STORAGES["default"] = object_storage(OBJECT_STORAGE_BUCKET)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="valtionavustukset@example.fi")
# A mail server that does not answer is given up after this many seconds; the attempt is retried later.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
# The service's public address, for the links in mail (which has no request to take it from).
SITE_URL = env.str("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# Mail goes through a durable queue in the database (django-tasks with its database backend): the message and
# its delivery task are written in the same transaction as the change they tell about, and `manage.py
# worker` delivers them, retrying for MAIL_RETRY_FOR seconds (three days) before giving a message up.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MAIL_RETRY_FOR = env.int("DJANGO_MAIL_RETRY_FOR", default=3 * 24 * 3600)
# Workers (`manage.py worker`, one or more on each worker node) say they are alive this often; the job of
# one not heard from for WORKER_LOST_AFTER_SECONDS goes back to the queue for another (mail/workers.py).
WORKER_HEARTBEAT_SECONDS = env.float("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_LOST_AFTER_SECONDS = env.float("WORKER_LOST_AFTER_SECONDS", default=60)

# The cache (CACHE_URL, e.g. redis://127.0.0.1:6379/1 to share it between processes; each process's own
# memory by default). Cached entries carry their own version, so a stale process only misses, never lies.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own copies of rendered public pages, under keys that name the content's version
    # (opendata.views.CallResultsView): such an entry can never go stale, so keeping it in the process
    # spares the shared cache the page's bytes on every request. 64 entries: a few MB per process.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rendered-pages",
        "OPTIONS": {"MAX_ENTRIES": 64},
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sign-in protection (django-axes): five failures from one address lock that address for 15 minutes; a
# success clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Failures from one address lock that address (for every account, so also the account from there), never
# the account everywhere: an outsider must not be able to lock an official or a municipality out before a
# deadline by typing wrong passwords (red-team finding 4). Guessing one account from many addresses is
# bounded by the password rules, and for ministry staff by the second factor.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_USERNAME_CALLABLE = "accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
# Keep a record of each failure too (kept 90 days, see README), for the security log and data exports.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Our own `security` log records each event once (accounts/security.py).
AXES_VERBOSE = False
# The client's address (accounts.security.client_ip): REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies
# that each append the address they saw to X-Forwarded-For, the entry the outermost of them appended, so
# that a client cannot choose its logged address by sending its own X-Forwarded-For (finding 5).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# Password-reset mail (django-ratelimit, on the cache): per address and per account.
PASSWORD_RESET_RATE_PER_ADDRESS = env("PASSWORD_RESET_RATE_PER_ADDRESS", default="10/h")
PASSWORD_RESET_RATE_PER_ACCOUNT = env("PASSWORD_RESET_RATE_PER_ACCOUNT", default="3/h")
RATELIMIT_IP_META_KEY = "accounts.security.client_ip"

# Two-factor authentication (django-otp): required of ministry staff and admins.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = "Kuntadigi"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_RECOVERY_CODES = 10

# Sign-in through the state's identity services (README "Sign-in"). Local passwords stay for development,
# the demo and an emergency administrator.
#
# Ministry staff: the ministry's OpenID Connect provider (accounts.ministry_sso). The provider's group claim
# OIDC_GROUPS_CLAIM is mapped to our ministry roles by OIDC_ROLE_GROUPS, "role=group,role=group" with the
# roles official, reviewer and decision_maker; ministry roles need an `amr` value in OIDC_MFA_AMR or an `acr`
# value in OIDC_MFA_ACR. LOCAL_SIGN_IN_FOR_MINISTRY=false refuses passwords for ministry roles (an
# administrator's own password keeps working).
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
OIDC_ROLE_GROUPS = env.dict("OIDC_ROLE_GROUPS", default={})
OIDC_MFA_AMR = env.list("OIDC_MFA_AMR", default=["mfa"])
OIDC_MFA_ACR = env.list("OIDC_MFA_ACR", default=[])
LOCAL_SIGN_IN_FOR_MINISTRY = env.bool("LOCAL_SIGN_IN_FOR_MINISTRY", default=True)
# Municipality staff: Suomi.fi e-Identification over SAML 2.0 (accounts.suomifi, djangosaml2 on pysaml2 and
# xmlsec1). On when the identity provider's metadata is given (an address or a file); our key and
# certificate sign our requests and decrypt the assertions.
SUOMIFI_IDP_METADATA_URL = env.str("SUOMIFI_IDP_METADATA_URL", default="")
SUOMIFI_IDP_METADATA_FILE = env.str("SUOMIFI_IDP_METADATA_FILE", default="")
SUOMIFI_SP_KEY_FILE = env.str("SUOMIFI_SP_KEY_FILE", default="")
SUOMIFI_SP_CERT_FILE = env.str("SUOMIFI_SP_CERT_FILE", default="")
SUOMIFI_ENTITY_ID = env.str("SUOMIFI_ENTITY_ID", default="")
# The key of the hash that recognises a person by their personal identity code; it must never change (a
# new key would make everyone a stranger), so it is its own setting, not the rotating secret key.
IDENTITY_HASH_KEY = env.str("IDENTITY_HASH_KEY", default=SECRET_KEY)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
SAML_CONFIG_LOADER = "accounts.suomifi.config_loader"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_LOGOUT_REQUEST_PREFERRED_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_CREATE_UNKNOWN_USER = False
# Every SAML message travels by redirect: no page of ours posts a form to another site.
SAML_CSP_HANDLER = ""
SAML_SESSION_COOKIE_NAME = "saml_session"
# Suomi.fi's answer is a cross-site POST: over HTTPS the SAML session's cookie must be SameSite=None to
# come back with it (production sets it); plain-HTTP development and tests keep Lax.
SAML_SESSION_COOKIE_SAMESITE = env.str("SAML_SESSION_COOKIE_SAMESITE", default="Lax")
ACS_DEFAULT_REDIRECT_URL = "landing"

# Content security policy (django-csp): only this site's own scripts, styles, fonts and images;
# no inline script or style anywhere, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Uploaded files are scanned before they are stored when a ClamAV daemon is configured
# (host:port of clamd, e.g. "127.0.0.1:3310"); the scanner is a replaceable dotted path.
CLAMAV_ADDRESS = env.str("CLAMAV_ADDRESS", default="")
ATTACHMENT_SCANNER = env.str("ATTACHMENT_SCANNER", default="applications.scanning.scan_with_clamav")

# The authority that publishes the grants; shown on public pages and in open data.
GRANT_AUTHORITY_NAME = _("Ministry of Finance")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "core.logs.OneLinePerRecord"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # fpdf2's font subsetting logs every glyph at INFO.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        # django-axes reports each attempt at INFO; the `security` logger already records them.
        "axes": {"level": "WARNING"},
        # Every sign-in, failed sign-in, lockout, second-factor event and personal-data removal.
        "security": {"level": "INFO"},
    },
}

# Attachments: the largest file accepted, in bytes (10 MB by default).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Let requests carry an attachment of that size plus the form around it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# The read-only open-data API: public, JSON only, paginated, filtered with django-filter.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The client's address for the throttle: the same entry of X-Forwarded-For as accounts.security.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
}
# Anonymous requests to the API per address (opendata.api.AnonymousThrottle).
OPEN_DATA_RATE = env("OPEN_DATA_RATE", default="600/min")
# The read-only open data may be read from any web page (django-cors-headers): GET only, no cookies.
CORS_URLS_REGEX = r"^/(api/v1|open-data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
SPECTACULAR_SETTINGS = {
    # ASCII only: the title names the schema's download, and a non-ASCII file name made the whole
    # Content-Disposition header MIME-encoded (validators' finding).
    "TITLE": "Municipal digitalisation grants - open data API",
    "DESCRIPTION": "Calls, published awards and municipalities of the Ministry of Finance's state grants for "
    "municipalities' joint digitalisation projects. Licence: CC BY 4.0.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
}
