"""/healthz: is the database answering, is the broker reachable, can a page be rendered.
Used by Compose health checks.

It answers whatever Host the request names (HealthzMiddleware, first in MIDDLEWARE): a probe
inside the container cannot know which of ALLOWED_HOSTS to send, and the answer holds no URL.
"""

import logging

from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
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


def _pages() -> str:
    """The sign-in page, as a person would get it: its template and every static file it
    names (with DEBUG off, a file missing from the static manifest fails the page)."""
    render_to_string("registration/login.html", {"form": AuthenticationForm()})
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {}
    for name, probe in (("database", _database), ("broker", _broker), ("pages", _pages)):
        try:
            checks[name] = probe()
        except Exception as exc:  # any failure is the answer, not a crash
            log.warning("healthz check=%s failed: %s", name, exc)
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


class HealthzMiddleware:
    """Serve /healthz before any other middleware, so before the Host header is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
