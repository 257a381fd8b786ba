"""Settings, read from the environment.

Defaults are safe for production: DEBUG is off unless asked for, and then a SECRET_KEY must be
given. Development (DEBUG=1) gets a throw-away key. SQLite is the default database; set
DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/followup) for PostgreSQL.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# openpyxl reads uploaded workbooks through defusedxml — unless lxml is installed, which it then
# prefers (python-docx, for the Word report, brings lxml). Keep openpyxl on defusedxml: the
# import's checks and its size limits are made for it (agreements/imports/reader.py refuses
# to read otherwise). Read by openpyxl when it is first imported, so set before any app loads.
os.environ.setdefault("OPENPYXL_LXML", "False")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # (Django REST framework is not an installed app: its Swedish catalogue would replace
    # Django's own wording of form errors on the site; followup/api/exceptions.py.)
    "drf_spectacular",
    # Swagger UI's files served as our own static files (no CDN: the CSP allows none).
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # Layers, each importing only those below it (pyproject.toml, [tool.importlinter]):
    # config → followup → agreements → core.
    "core",
    "agreements",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files in production (gunicorn has no static server).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.sessions.SlidingSessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records request.user as the author of every audited change made in a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.AccessDeniedLogMiddleware",
    # Every API call in the security log, with the token's id (never the token).
    "followup.api.middleware.ApiCallLogMiddleware",
    # A write not saved (a collision not resolved, a refusal no page caught): a page, not a 500.
    "core.conflicts.NotSavedMiddleware",
    # Refuses logins for a locked-out username (django-axes); must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followup.site.context_processors.site_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db' / 'followup.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept-open connection is checked before each request, so the app recovers by
        # itself after the database has restarted.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A write transaction takes the database's write lock when it begins, so a second
            # writer waits for the first (up to the timeout, seconds) instead of failing
            # half-way with "database is locked" (core/conflicts.py).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # Readers and the one writer do not block each other.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# Nothing a request leaves behind is kept in one process or on one server: sessions in the
# database, and the cache (Django's, and anything built on it) in Redis when REDIS_URL is set
# (redis://host:6379/0), else in the database (the table is made by every migrate).
# Database sessions that slide their idle timeout without rewriting their data (core/sessions.py).
SESSION_ENGINE = "core.sessions"
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "core_cache"}
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "followup.User"

# Argon2id first: a password check costs a fraction of the CPU of PBKDF2's million iterations
# (bench/login.py), so a rush of logins does not fill the cores, and it is memory-hard against
# GPU cracking. The PBKDF2 hashers stay so existing hashes still verify; each is rehashed with
# Argon2id at that user's next login (Django does it on a successful check).
PASSWORD_HASHERS = [
    "core.hashers.Argon2idHasher",  # OWASP's Argon2id profile; older hashes upgraded at login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "site:login"
LOGIN_REDIRECT_URL = "site:start"
LOGOUT_REDIRECT_URL = "site:login"

# Swedish first: the users are Swedish civil servants. English is a translation.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Logins, failed logins, lockouts and access denials (core/security.py).
    "loggers": {"core.security": {"level": "INFO"}},
}

# CSV files with counties, municipalities, lead bodies, financing sources, kinds and themes.
REFERENCE_DATA_DIR = BASE_DIR / "fixtures" / "reference"

# Excel imports (agreements.imports): limits that make a hostile upload cheap to refuse.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 10 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 20_000))  # per sheet
# An upload is parsed in a child process with these limits (core.sandbox): what a file that
# slips past every check can cost at most. A template of IMPORT_MAX_ROWS rows needs far less.
IMPORT_PARSE_CPU_SECONDS = int(os.environ.get("IMPORT_PARSE_CPU_SECONDS", 4))
IMPORT_PARSE_MEMORY_MB = int(os.environ.get("IMPORT_PARSE_MEMORY_MB", 256))
IMPORT_PARSE_SECONDS = float(os.environ.get("IMPORT_PARSE_SECONDS", 20))
# How many uploads are read at once, across all processes of all app servers (leases in the
# database, core.leases); one more is told to try again in a minute. The worker that asked
# waits for its file, so these keep the others free.
IMPORT_PARSE_CONCURRENCY = int(os.environ.get("IMPORT_PARSE_CONCURRENCY", 2))
# Where an uploaded file waits between the preview and the confirmation (a random name each),
# for whichever app server the confirmation reaches: STORAGES["imports"] below. "filesystem":
# the folder IMPORT_UPLOAD_DIR, which every app server must share (NFS or the like); "s3": a
# bucket of an S3-compatible store through django-storages (IMPORT_S3_BUCKET; the credentials
# from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role).
IMPORT_STORAGE = os.environ.get("IMPORT_STORAGE", "filesystem")
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", BASE_DIR / "db" / "imports"))
if IMPORT_STORAGE == "filesystem":
    IMPORT_STORAGE_BACKEND = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": IMPORT_UPLOAD_DIR,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
elif IMPORT_STORAGE == "s3":
    if not os.environ.get("IMPORT_S3_BUCKET"):
        raise ImproperlyConfigured("IMPORT_STORAGE=s3 needs IMPORT_S3_BUCKET.")
    IMPORT_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["IMPORT_S3_BUCKET"],
            "location": os.environ.get("IMPORT_S3_PREFIX", "imports"),
            # Another store than Amazon's (MinIO, Ceph, a cloud's own): its address.
            "endpoint_url": os.environ.get("IMPORT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("IMPORT_S3_REGION") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"IMPORT_STORAGE must be filesystem or s3, got {IMPORT_STORAGE!r}")

# Downloads (workbooks, CSV) are written by a thread of lower CPU priority (Linux nice value), so
# that pages stay fast while they are made (core.priority).
DOWNLOADS_IN_BACKGROUND = env_bool("DOWNLOADS_IN_BACKGROUND", default=True)
DOWNLOAD_NICENESS = int(os.environ.get("DOWNLOAD_NICENESS", 10))

# E-mail (followup.services.notices): SMTP from the environment; with DEBUG=1 and no EMAIL_HOST
# the messages are printed on the console instead.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if EMAIL_HOST else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "uppfoljning@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach the site at, for the links in e-mail.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
# Messages about a review step are sent by a thread of their own after the step is saved, so
# nobody waits for the mail server (the tests send them in the request's thread).
NOTICES_IN_BACKGROUND = env_bool("NOTICES_IN_BACKGROUND", default=True)
# Reminders before a round's deadline, in days (send_reminders; weekly after it).
REMINDER_DAYS_BEFORE = [int(days) for days in env_list("REMINDER_DAYS_BEFORE", ["14", "3"])]

# The read-only API at /api/v1/ (followup/api/): personal tokens or the session, a role
# required, cursor pages, the site's FilterSets, JSON only (no browsable API: its pages would
# need inline script; the documentation page is Swagger UI at /api/v1/docs/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "followup.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["followup.api.permissions.HasRole"],
    "DEFAULT_THROTTLE_CLASSES": ["followup.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "followup.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["followup.api.filters.SiteFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "followup.api.autoschema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "followup.api.exceptions.handler",
}
# Requests per token (or per signed-in user) and period, counted in the database so every
# worker and server counts the same (followup/api/throttling.py); empty: no limit.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/min")
# Tokens a user may hold at once (not revoked).
API_TOKENS_PER_USER = int(os.environ.get("API_TOKENS_PER_USER", "10"))
# Open data (/oppna-data/): each year's zip is kept here and rebuilt when older than this many
# seconds, or at once when the round's approved reports change (followup/opendata/archive.py).
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", BASE_DIR / "db" / "open-data"))
OPEN_DATA_MAX_AGE = int(os.environ.get("OPEN_DATA_MAX_AGE", 24 * 60 * 60))
SPECTACULAR_SETTINGS = {
    "TITLE": "Tillväxtavtal – uppföljning: API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets named after their models, where several share a field name.
    "ENUM_NAME_OVERRIDES": {
        "AgreementStatusEnum": "agreements.models.agreements.Agreement.Status",
        "AgreementKindEnum": "agreements.models.agreements.Agreement.Kind",
        "ProjectStatusEnum": "agreements.models.projects.Project.Status",
        "FinancingLineKindEnum": "agreements.models.projects.FinancingLine.Kind",
        "PartnershipKindEnum": "agreements.models.partnerships.Partnership.Kind",
        "ObservationKindEnum": "followup.models.reports.Observation.Kind",
        "ReportStatusEnum": "followup.models.statuses.ReportStatus",
        "RoundStatusEnum": "followup.models.statuses.RoundStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "followup.api.views.schema.describe",
    ],
}

# --- Security --------------------------------------------------------------------------------
# Production (DEBUG off) is strict by default; every value can be relaxed from the environment
# for a deployment whose proxy does it instead. `manage.py check --deploy` passes with these.

# The TLS-terminating proxy tells Django the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout: the session ends after this many seconds without a request (sliding: each
# request moves the end, at most once a SESSION_REFRESH_SECONDS, without rewriting the
# session's data; core/sessions.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy (django-csp): only our own scripts, styles and images; no inline
# script anywhere, and no inline style but the one that carries this request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A nonce for the one <style> of ours: the printed page's margin (site/base.html).
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins for a username, that
# username is locked for AXES_COOLOFF_TIME whatever address the attempts come from.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for an IP lockout as well. Deliberately not: a county office or the ministry
# reaches us through one gateway address, and five mistyped passwords there would lock out
# everyone behind it. Per-username lockout holds whatever address the attempts come from.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # our own security log says what happened, without secrets

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "imports": IMPORT_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
