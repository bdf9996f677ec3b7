"""Settings for the e-health action plan service.

One file, driven by the environment (see README, "Configuration"):

- ``DJANGO_DEBUG``          "1" for local development; off by default.
- ``DJANGO_SECRET_KEY``     required when DEBUG is off.
- ``DJANGO_ALLOWED_HOSTS``  comma-separated host names.
- ``DATABASE_URL``          PostgreSQL in production; SQLite ``db.sqlite3`` when unset.
- ``DJANGO_SECURE_SSL_REDIRECT``, ``DJANGO_CSRF_TRUSTED_ORIGINS``: production tuning.
- ``DJANGO_SECURE_COOKIES``  "0" only for a production-like server on plain-HTTP loopback
  (the browser tests); cookies are HTTPS-only otherwise.
- ``DJANGO_STATIC_ROOT``, ``DJANGO_MEDIA_ROOT``: where collected static files and stored PDFs live.
- Tasks (PDFs) go to a queue in the database; ``manage.py db_worker`` runs them.
- ``DJANGO_CACHE_URL``      Redis (``redis://host:6379/1``) for several servers; each process's memory when unset.
- ``EHALSA_LOGIN_*``, ``EHALSA_CLIENT_ADDRESS_HEADER``, ``EHALSA_SESSION_*``: sign-in throttle and sessions.
- ``EHALSA_SITE_URL``       the address users reach the service at, for links in e-mail (reminders).
- ``DJANGO_EMAIL_*``, ``DJANGO_DEFAULT_FROM_EMAIL``: the SMTP server that sends e-mail; the console
  (standard output) in development when no server is named.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest imports settings itself; tests need neither a real secret nor collected static files.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DJANGO_DEBUG", False)

# Without DJANGO_SECRET_KEY, management commands and tests run with a development key; the WSGI
# application refuses to serve with it unless DEBUG is on (ehalsa/wsgi.py), and
# `check --deploy` flags it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY"))

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A stale form token (the user signed in again in another tab) gives the typed values back.
CSRF_FAILURE_VIEW = "ehalsa.csrf.csrf_failure"

# The project's own apps (ehalsa.freshness reads their models' histories).
PROJECT_APPS = ["ehalsa", "governance", "plans", "activities", "finance"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "ehalsa.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles, less what no page uses
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    *PROJECT_APPS,
    "fixtures",
    "ehalsa.api",
]

MIDDLEWARE = [
    "ehalsa.middleware.HealthCheckMiddleware",
    "ehalsa.middleware.LongAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cross-origin reads of the open-data API (/api/ only, GET only): CORS_* below.
    "corsheaders.middleware.CorsMiddleware",
    # Kept pages, whole, before the rest of the stack: anonymous visitors share them, a browser with a
    # session has its own, after its session and user are read (ehalsa.freshness).
    "ehalsa.freshness.KeptPageMiddleware",
    # GET and HEAD read without taking SQLite's write lock (saves still take it as they begin).
    "ehalsa.middleware.ReadingTransactionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ehalsa.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ehalsa.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "ehalsa.urls"

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
                "ehalsa.context_processors.memberships",
                "governance.context_processors.administration",
            ],
            # Numbers are printed the Swedish way ("1 018 387"), ids never: ``{{ plan.pk|unlocalize }}``
            # wherever a template writes an id into an address, an anchor or a form.
            "builtins": ["django.templatetags.l10n"],
        },
    },
]

WSGI_APPLICATION = "ehalsa.wsgi.application"

# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
# Every request is one transaction: a request cut off half-way (say, by a database restart)
# leaves nothing half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Simultaneous saves wait their turn instead of failing with "database is locked": every
    # transaction takes the write lock as it begins (a deferred one that has read cannot take it
    # once another has written), waits up to 20 s for it, and readers never block the writer (WAL).
    # The loser of a race then meets the version check and gets the edit-conflict message.
    # Requests that only read begin theirs without the lock (ehalsa.middleware.ReadingTransactionMiddleware).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite has no non-key index columns (INCLUDE); the activities' (plan, order, id) index works
# there without them, and on PostgreSQL carries the years for the search.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

if TESTING:
    # The tests sign in and guess passwords hundreds of times; the real hasher's deliberate cost
    # only slows them down (production and the browser tests' server keep Django's default).
    PASSWORD_HASHERS = ["tests.hashers.QuickPBKDF2PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttle (ehalsa/login.py): wrong passwords per address and username, per address and
# per username, counted over a window; a browser that has signed in to the account before is held to
# the first limit alone.
AUTHENTICATION_BACKENDS = ["ehalsa.login.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = int(os.environ.get("EHALSA_LOGIN_FAILURE_LIMIT", 5))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("EHALSA_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
LOGIN_USERNAME_FAILURE_LIMIT = int(os.environ.get("EHALSA_LOGIN_USERNAME_FAILURE_LIMIT", 10))
LOGIN_FAILURE_WINDOW = timedelta(minutes=int(os.environ.get("EHALSA_LOGIN_LOCK_MINUTES", 15)))
LOGIN_KNOWN_BROWSER_AGE = 365 * 24 * 60 * 60
# The client's address is REMOTE_ADDR unless a proxy in front of the app names it in this header.
LOGIN_CLIENT_ADDRESS_HEADER = os.environ.get("EHALSA_CLIENT_ADDRESS_HEADER", "").strip()

# A session lasts a working day from sign-in and ends when the browser closes.
# Django's database sessions, read with one plain statement (ehalsa/sessions.py).
SESSION_ENGINE = "ehalsa.sessions"
SESSION_COOKIE_AGE = int(float(os.environ.get("EHALSA_SESSION_HOURS", 10)) * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("EHALSA_SESSION_ENDS_WITH_BROWSER", True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Swedish first; English available.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["ehalsa.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Development and tests serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
# Only the hashed names are served (every page names its files through {% static %}); the unhashed
# copies would be compressed for nothing, which doubled collectstatic's time.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# The cache: each process's own memory by default; with several servers, Redis shared by all
# (``DJANGO_CACHE_URL=redis://127.0.0.1:6379/1``). Nothing kept there is ever invalidated: its keys
# name the data they were made from (ehalsa.freshness), so a change simply asks for a new key.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "ehalsa"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL must be a redis:// or rediss:// address, not {CACHE_URL!r}")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_ENTRIES", 2000))},
        }
    }

# Slow work (rendering PDFs) runs as tasks (``django.tasks``) in worker processes beside the web
# server, never inside a request: ``manage.py db_worker`` (``make run`` starts one). The queue is a
# table in the app's own database, so workers on several machines need nothing but the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# PDFs are archived: PDF/A at the level the archive authority accepts (PDF/A-2b by default).
PDF_VARIANT = os.environ.get("EHALSA_PDF_VARIANT", "pdf/a-2b")

# E-mail (the daily reminders, ``manage.py send_reminders``): SMTP in production; printed to the
# console in development unless a server is named. Tests use Django's in-memory outbox.
# DJANGO_EMAIL_FILE_PATH writes each message to a file in that directory instead (a test or staging
# server whose mail nobody should get; the browser tests read invitations there).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", "").strip()
if EMAIL_FILE_PATH:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": EMAIL_FILE_PATH},
        }
    }
elif DEBUG and not EMAIL_HOST:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", 587)),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                # STARTTLS by default; DJANGO_EMAIL_USE_SSL=1 for implicit TLS (port 465) instead.
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True) and not env_bool("DJANGO_EMAIL_USE_SSL", False),
                "use_ssl": env_bool("DJANGO_EMAIL_USE_SSL", False),
                "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 30)),
            },
        }
    }
del EMAIL_HOST, EMAIL_FILE_PATH  # deprecated settings: MAILERS holds them
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Handlingsplaner för e-hälsa <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address users reach the service at (scheme and host, no trailing slash): links in e-mail are
# absolute. Required to send reminders with DEBUG off.
SITE_URL = os.environ.get("EHALSA_SITE_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else "").strip().rstrip("/")

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
# A filter's empty choice reads "Alla", not "---------" (issue 19, item 16).
FILTERS_EMPTY_CHOICE_LABEL = _("All")

# A strict Content-Security-Policy on every page: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The open-data API (ehalsa/api/, /api/v1/): public content only, read-only, JSON. Anyone may read it, from
# any origin (CORS for GET on /api/ only); anonymous clients are throttled per address
# (EHALSA_API_ANON_RATE, e.g. "120/minute"), counted in the cache above. Errors: ehalsa.api.errors.
API_ANON_RATE = os.environ.get("EHALSA_API_ANON_RATE", "10000/minute" if TESTING else "120/minute")
API_MAX_PAGE_SIZE = 100
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # The API shows public content only, whoever asks: no one signs in to it.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["ehalsa.api.throttling.AnonymousThrottle"],
    "DEFAULT_PAGINATION_CLASS": "ehalsa.api.paging.PageNumbers",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["ehalsa.api.filters.StrictFilterBackend"],
    "EXCEPTION_HANDLER": "ehalsa.api.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Handlingsplaner för e-hälsa – öppna data",
    "DESCRIPTION": (
        "Antagna (och ersatta) handlingsplaner för e-hälsa: samverkan, organisationer, organ, planer med "
        "sina antagna versioner, insatser, budget per år och part, beslut. Endast offentligt innehåll, "
        "aldrig utkast. Read-only JSON; errors carry Swedish (detail) and English (detail_en) messages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
# Who publishes the open data, in the DCAT-AP-SE description (/api/v1/dcat/) that dataportal.se harvests.
OPEN_DATA_PUBLISHER = os.environ.get("EHALSA_OPEN_DATA_PUBLISHER", "Handlingsplaner för e-hälsa")
OPEN_DATA_PUBLISHER_URL = os.environ.get("EHALSA_OPEN_DATA_PUBLISHER_URL", "")
OPEN_DATA_CONTACT_EMAIL = os.environ.get("EHALSA_OPEN_DATA_CONTACT_EMAIL", "")
OPEN_DATA_LICENSE = os.environ.get("EHALSA_OPEN_DATA_LICENSE", "http://creativecommons.org/publicdomain/zero/1.0/")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Security. Production (DEBUG off) runs behind TLS; /healthz stays reachable over plain HTTP
# for load balancers.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not TESTING)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not TESTING)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
