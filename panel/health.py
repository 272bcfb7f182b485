"""/healthz: is the database answering, is the broker reachable. Used by Compose health checks."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from panel.celery import app

log = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker() -> str:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {}
    for name, probe in (("database", _database), ("broker", _broker)):
        try:
            checks[name] = probe()
        except Exception as exc:  # any failure is the answer, not a crash
            log.warning("healthz check=%s failed: %s", name, exc)
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
