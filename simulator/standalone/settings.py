"""Settings of the standalone simulator (`manage.py runsimulator`): the panel's settings with
only what the API needs, and a database of its own (one SQLite file per port by default)."""

import os

from panel.settings import *  # noqa: F403
from panel.settings import VAR_DIR, env

# Never the dashboard's DEBUG: DEBUG keeps every query in memory, which a benchmark fills.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ROOT_URLCONF = "simulator.standalone.urls"
WSGI_APPLICATION = "simulator.standalone.wsgi.application"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "simulator"]
MIDDLEWARE = []  # a provider's API: no sessions, no CSRF, no login

_path = os.environ.get("SIMULATOR_DB_PATH", str(VAR_DIR / "simulator.sqlite3"))
DATABASES = {"default": env.db("SIMULATOR_DATABASE_URL", default=f"sqlite:///{_path}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several worker processes write the request log at once: WAL and immediate transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Keep each thread's connection: opening one per request would cost more than the request.
DATABASES["default"]["CONN_MAX_AGE"] = None
