"""Which outside services the tests can use, and how a missing one is reported.

A test that needs PostgreSQL, Redis or a browser is skipped with a visible reason when the
service is not configured. Under CI (CI=true) a configured service that does not answer, or
a missing browser, fails the test instead: CI must never pass on skipped suites.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str, *, configured: bool = True):
    """Skip outside CI; fail in CI when the service was meant to be there."""
    if IN_CI and configured:
        pytest.fail(f"CI requires it: {reason}")
    pytest.skip(reason)


def answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        unavailable(
            "REDIS_URL is not set: Redis tests run when it points at a server", configured=False
        )
    if not answers(url, 6379):
        unavailable(f"Redis at REDIS_URL does not answer ({urlparse(url).netloc})")
    return url


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("Chromium is not installed (apt-get install chromium)")
    return path
