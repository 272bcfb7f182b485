"""Settings, read from the environment only (see .env.example and the README's table).

With nothing set this is the embedded default: DEBUG on, SQLite and the Celery filesystem
broker under var/, generated secrets kept in var/. With DEBUG off, the secrets and hosts
must be given.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from panel.embedded import filesystem_broker_options, persisted_secret

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
DEBUG = env.bool("DEBUG", default=True)


def _required_in_production(name: str, embedded_file: str) -> str:
    value = env.str(name, default="")
    if value:
        if not DEBUG and (len(value) < 32 or value.startswith("django-insecure")):
            raise ImproperlyConfigured(f"{name} is too weak for production: use 32+ random chars.")
        return value
    if not DEBUG:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return persisted_secret(VAR_DIR / embedded_file)


SECRET_KEY = _required_in_production("SECRET_KEY", "secret_key")
# Encrypts providers' API keys at rest; losing it means re-entering every provider key.
PROVIDER_KEYS_SECRET = _required_in_production("PROVIDER_KEYS_SECRET", "provider_keys_secret")
# The most a provider's answer may hold: 50,000 services with long names are about 24 MiB.
PROVIDER_MAX_ANSWER_BYTES = env.int("PROVIDER_MAX_ANSWER_BYTES", default=64 * 1024 * 1024)
# A requests.Session that carries provider calls (the in-process simulator in tests);
# None: each client makes its own session over the network.
PROVIDER_TRANSPORT = None
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "orders",
    "customers",
    "simulator",
    "bench",
]
# The built-in provider simulator answers at /simulator/api/v2 (the demo provider).
SIMULATOR_ENABLED = env.bool("SIMULATOR_ENABLED", default=DEBUG)

MIDDLEWARE = [
    "panel.health.HealthzMiddleware",  # answers /healthz whatever the Host header says
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "customers.api.guard.ApiGuardMiddleware",  # /api/v2's unreadable requests, as JSON
    "panel.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "panel.urls"
WSGI_APPLICATION = "panel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "orders.context.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'panel.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write at once: WAL plus immediate transactions avoid "locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: a username is locked for a while after repeated failures from one address.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
WHITENOISE_AUTOREFRESH = DEBUG  # serve straight from the source folders while developing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Content-Security-Policy (Django's own middleware): no inline scripts, nothing from elsewhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# Production hardening; each can be relaxed from the environment behind a trusted proxy.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
X_FRAME_OPTIONS = "DENY"

# Celery: Redis in production; when nothing is set, message files under var/ (panel/broker.py:
# kombu's filesystem transport with atomic writes and claims).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "embedded://localhost/")
if CELERY_BROKER_URL.startswith(("embedded://", "filesystem://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(VAR_DIR / "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task lost with its worker is delivered again; tasks are written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Touches `<schedule>.alive` on every tick; sends the jobs that never ran when it starts.
CELERY_BEAT_SCHEDULER = "panel.beat:Scheduler"
CELERY_TIMEZONE = TIME_ZONE

# Periodic work, all in one place; each interval in seconds from the environment.
CELERY_BEAT_SCHEDULE = {
    name: {
        "task": task,
        "schedule": env.int(f"SCHEDULE_{name.upper()}", default=every),
        "args": args,
    }
    for name, task, every, args in (
        ("poll_orders", "orders.tasks.for_each_provider", 15, ("poll_orders",)),
        ("poll_refills", "orders.tasks.for_each_provider", 60, ("poll_refills",)),
        ("sync_balance", "orders.tasks.for_each_provider", 60, ("sync_balance",)),
        ("sync_catalogue", "orders.tasks.for_each_provider", 60, ("sync_catalogue",)),
        ("sweep_orders", "orders.tasks.sweep_orders", 60, ()),
        ("heartbeat", "orders.tasks.heartbeat", 30, ()),
        ("purge_api_calls", "orders.tasks.purge_api_calls", 86400, ()),
    )
}

# The engine: how long the API call log is kept, how often statuses are asked for.
API_CALL_LOG_DAYS = env.int("API_CALL_LOG_DAYS", default=7)
CATALOGUE_SYNC_SECONDS = env.int("CATALOGUE_SYNC_SECONDS", default=3600)
BALANCE_SYNC_SECONDS = env.int("BALANCE_SYNC_SECONDS", default=300)
POLL_FIRST_CHECK_SECONDS = env.int("POLL_FIRST_CHECK_SECONDS", default=30)
POLL_MAX_INTERVAL_SECONDS = env.int("POLL_MAX_INTERVAL_SECONDS", default=15 * 60)

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # key=value pairs: easy to grep and to parse.
        "kv": {"format": "ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
        # One line per job run (orders.services.jobs); Celery's own line for each message
        # sent, received and finished would triple it. Failures are still logged as errors.
        **{
            name: {"level": env.str("CELERY_TASK_LOG_LEVEL", default="WARNING")}
            for name in ("celery.beat", "celery.worker.strategy", "celery.app.trace")
        },
    },
}
