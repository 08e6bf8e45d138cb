"""Settings shared by every environment. Environment-specific modules import this."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-secret-key-change-me")
DEBUG = env_bool("DEBUG", False)

# Workspaces are served at <slug>.<ASCEND_BASE_DOMAIN> or at their custom domain;
# the hosts in ASCEND_DEFAULT_HOSTS serve the default workspace (the embedded set-up).
ASCEND_BASE_DOMAIN = env_str("ASCEND_BASE_DOMAIN", "localhost")
ASCEND_DEFAULT_WORKSPACE = env_str("ASCEND_DEFAULT_WORKSPACE", "demo")
ASCEND_DEFAULT_HOSTS = env_list("ASCEND_DEFAULT_HOSTS", ["127.0.0.1", "localhost", "testserver"])
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [*ASCEND_DEFAULT_HOSTS, f".{ASCEND_BASE_DOMAIN}", "[::1]"]
)
# Plain http locally; https in production (prod.py).
ASCEND_URL_SCHEME = env_str("ASCEND_URL_SCHEME", "http")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "anymail",
    "ninja",
    "ascend.tenancy",
    "ascend.accounts",
    "ascend.notifications",
    "ascend.activity",
    "ascend.portals",
    "ascend.api",
    "ascend.programs",
    "ascend.billing",
    "ascend.ranks",
    "ascend.messaging",
    "ascend.quality",
    "ascend.crm",
    "ascend.scheduling",
    "ascend.courses",
    "ascend.support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ascend.tenancy.middleware.WorkspaceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ascend.accounts.middleware.UserPreferencesMiddleware",
    "ascend.tenancy.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Widens the CSP of learner pages by the hosts of the integrations they render.
    "ascend.courses.integrations.IntegrationsPolicyMiddleware",
]

ROOT_URLCONF = "ascend.urls"
WSGI_APPLICATION = "ascend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ascend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ascend.portals.context_processors.shell",
                "ascend.courses.context_processors.course_integrations",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portals:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login throttling: five failures for one email from one address lock it for the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "ascend.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The login form posts the email as "username" (Django's AuthenticationForm field name).
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt-br", _("Portuguese (Brazil)"))]
LOCALE_PATHS = [BASE_DIR / "ascend" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ascend" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Email: every message goes through the outbox (ascend.notifications.outbox.send_email).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ascend <no-reply@ascend.localhost>")
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET", "")}

# Background work: a Redis broker in production; without one tasks run eagerly in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "ascend")
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHE_URL = env_str("REDIS_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Content security policy: our own files only; htmx is served from static.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

ASCEND_INVITATION_DAYS = env_int("ASCEND_INVITATION_DAYS", 7)

# Payments: the manual provider always works; Stripe needs both keys (see the README).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
ASCEND_API_TOKEN_PREFIX = "asc_"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Periodic jobs (Celery beat); each is also a management command with --loop.
CELERY_BEAT_SCHEDULE = {
    "retry-stale-emails": {"task": "notifications.retry_stale_emails", "schedule": 300.0},
    # Once a day is enough: each run sends what is due by then, and never twice.
    "programs-daily": {"task": "programs.run_daily", "schedule": timedelta(days=1)},
    # Seniority grows by the day; visits are also checked right after each one.
    "ranks-daily": {"task": "ranks.run_daily", "schedule": timedelta(days=1)},
    # Unread-message emails go out within a minute of the workspace's delay.
    "messaging-unread": {"task": "messaging.send_unread_emails", "schedule": 60.0},
}
