"""Fazhi settings: every value that differs between machines comes from the environment, here only.

Environment variables (all optional on a developer's machine):

- ``DJANGO_DEBUG``           "1" for debug pages (default "1" unless ``DJANGO_ENV=production``)
- ``DJANGO_SECRET_KEY``      session and CSRF signing key
- ``DATABASE_URL``           e.g. ``postgres://user@127.0.0.1:5432/fazhi``; SQLite ``db.sqlite3`` when unset
- ``FAZHI_AUDIT_KEY``        HMAC-SM3 key of the audit chain
- ``FAZHI_DATA_KEY``         32 hex digits: SM4 key for personal data at rest
- ``FAZHI_MEDIA_ROOT``       where uploaded files and rendered instruments are stored
- ``FAZHI_MAP_TILE_URL``     a tile server on the intranet (Leaflet URL template); none by default
- ``DJANGO_ALLOWED_HOSTS``   comma-separated
- ``FAZHI_CACHE_URL``        ``redis://127.0.0.1:6379/0`` when several processes serve the town (shared rate limits)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env("DJANGO_ENV") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
TESTING = env_bool("FAZHI_TESTING", "pytest" in sys.modules)

_DEV_SECRET = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env("DJANGO_SECRET_KEY", _DEV_SECRET)
if PRODUCTION and SECRET_KEY == _DEV_SECRET:
    raise RuntimeError("DJANGO_SECRET_KEY must be set in production")

ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # shared mechanisms
    "core",
    "accounts",
    "access",
    "audit",
    "clocks",
    "instruments",
    "notify",
    # domain modules
    "org",
    "events",
    "disputes",
    "enforcement",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "fazhi.urls"

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
                "core.context_processors.shell",
            ],
        },
    },
]

WSGI_APPLICATION = "fazhi.wsgi.application"

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL, synchronous=FULL, immediate transactions and a 5 s busy timeout, so that
# committed means durable and concurrent writers queue instead of failing (anchors.md R1-R2).
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": env("FAZHI_TEST_SQLITE", "") or None}
else:
    DATABASES["default"]["TEST"] = {"NAME": env("FAZHI_TEST_DB_NAME", "test_fazhi")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]

# --- Accounts and sessions (等保 2.0 level 3 profile, anchors.md S1-S3) -----------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3, "max_length": 64}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout for staff
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware refreshes the session once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
FAZHI_SESSION_IDLE_SECONDS = {"default": 30 * 60, "three_officers": 15 * 60}
FAZHI_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
FAZHI_LOCKOUT_FAILURES = 5
FAZHI_LOCKOUT_SECONDS = 15 * 60
FAZHI_ADMIN_PASSWORD_DAYS = int(env("FAZHI_ADMIN_PASSWORD_DAYS", "90"))  # 三员 rotate passwords

# --- Internationalisation: Chinese first, English available ----------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media: every asset is served from this machine --------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from the finders in development
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("FAZHI_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Cache: shared by every process when FAZHI_CACHE_URL names a Redis server (portal rate limits) ---
FAZHI_CACHE_URL = env("FAZHI_CACHE_URL", "")
if FAZHI_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": FAZHI_CACHE_URL}}
else:  # one process (development, a single small town): an in-process cache is enough
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi"}}

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fazhi 法治 API",
    "DESCRIPTION": "镇街法治政府建设工作平台 API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets that share a field name across modules get explicit component names.
    "ENUM_NAME_OVERRIDES": {
        "TownKindEnum": "org.models.Town.Kind",
        "VillageKindEnum": "org.models.Village.Kind",
        "CalendarDayKindEnum": "clocks.models.DayKind",
        "ClockEventKindEnum": "clocks.models.ClockEvent.Kind",
        "EventChannelEnum": "events.models.Channel",
        "DispatchKindEnum": "events.models.DispatchKind",
        "HazardKindEnum": "events.models.HazardKind",
        "DisputeKindEnum": "disputes.models.DisputeKind",
        "PetitionChannelEnum": "disputes.models.Petition.Channel",
        "EvidenceKindEnum": "enforcement.models.EvidenceKind",
        "InspectionKindEnum": "enforcement.models.InspectionKind",
        "EnforcementPostEnum": "enforcement.models.Post",
    },
}

# --- Background work (Django task API through the django-tasks backport) ----------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Fazhi's own settings ---------------------------------------------------------------------
FAZHI_AUDIT_KEY = env("FAZHI_AUDIT_KEY", "dev-only-audit-key")
FAZHI_DATA_KEY = env("FAZHI_DATA_KEY", "0123456789abcdeffedcba9876543210")
if PRODUCTION and (FAZHI_AUDIT_KEY == "dev-only-audit-key" or FAZHI_DATA_KEY.startswith("01234567")):
    raise RuntimeError("FAZHI_AUDIT_KEY and FAZHI_DATA_KEY must be set in production")
FAZHI_AUDIT_RETENTION_DAYS = max(180, int(env("FAZHI_AUDIT_RETENTION_DAYS", "1095")))
FAZHI_MAP_TILE_URL = env("FAZHI_MAP_TILE_URL", "")
FAZHI_MAP_TILE_ATTRIBUTION = env("FAZHI_MAP_TILE_ATTRIBUTION", "")
FAZHI_SMS_BACKEND = env("FAZHI_SMS_BACKEND", "notify.sms.LogSmsBackend")
FAZHI_REMINDER_WORKING_DAYS = int(env("FAZHI_REMINDER_WORKING_DAYS", "3"))
FAZHI_REMINDER_SMS = env_bool("FAZHI_REMINDER_SMS", True)
FAZHI_LIBREOFFICE = env("FAZHI_LIBREOFFICE", "soffice")
# Queries the home page may spend on inline panels (the shell itself uses 4: session, user, roles, unread).
FAZHI_HOME_PANEL_QUERIES = 6

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("FAZHI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
    MEDIA_ROOT = BASE_DIR / "var" / "test-media"
