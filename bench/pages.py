"""Server time and queries of the orders list, Django admin's changelist, an order page and
the reports page.

Requests go through Django's test client (the whole middleware stack and the templates, no
network), signed in as a superuser. Each page is asked twice to warm caches, then timed.
"""

import math
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from orders.models import Provider, Status


def measure_pages(user, provider: Provider, timeline_order: int, samples: int) -> dict:
    client = Client()
    client.force_login(user)
    figures: dict = {"orders_page": _orders_page(client, provider, samples)}
    admin = _timed(client, reverse("admin:orders_order_changelist"), max(3, samples // 3))
    admin.pop("times")
    figures["admin_changelist"] = admin
    detail = _page_url("order_detail", pk=timeline_order)
    figures["order_detail"] = _timed(client, detail, samples) if detail else _missing()
    figures["order_detail"].pop("times", None)
    figures["reports"] = _reports_page(client, samples)
    return figures


def _reports_page(client: Client, samples: int) -> dict:
    """The reports page as it opens (the last 30 days by day) and a year by month."""
    url = _page_url("reports")
    if url is None:
        return _missing()
    today = timezone.localdate()
    year = f"{url}?start={today - timedelta(days=364)}&end={today}&group=month"
    first = _timed(client, url, samples)
    by_month = _timed(client, year, samples)
    times = first.pop("times") + by_month.pop("times")
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": max(first["queries"], by_month["queries"]),
        "default_page": first,
        "year_by_month": by_month,
    }


def _orders_page(client: Client, provider: Provider, samples: int) -> dict:
    url = _page_url("order_list")
    if url is None:  # the page is not there yet: nothing to measure, and said so
        return _missing()
    first = _timed(client, url, samples)
    filtered = _timed(client, f"{url}?status={Status.COMPLETED}&provider={provider.pk}", samples)
    times = first.pop("times") + filtered.pop("times")
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": max(first["queries"], filtered["queries"]),
        "first_page": first,
        "filtered_page": filtered,
        "filter": f"status={Status.COMPLETED}&provider=<the simulator's provider>",
    }


def _timed(client: Client, url: str, samples: int) -> dict:

    for _ in range(2):
        _get(client, url)
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    count = len(queries.captured_queries)  # now: the next request clears the log
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": count,
        "times": times,
    }


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")


def _page_url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _missing() -> dict:
    return {"p50_ms": None, "p95_ms": None, "queries": None, "missing": True}


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)]
