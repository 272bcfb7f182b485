"""Test-wide environment: tasks go to an in-memory broker unless a test asks for Redis."""

import os

os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# Playwright's sync API runs beside live_server in one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
