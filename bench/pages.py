"""Server time and queries of the orders list, Django admin's changelist, an order page and
the reports page.

Requests go through Django's test client (the whole middleware stack and the templates, no
network), signed in as a superuser. Each page is asked twice to warm caches, then timed.
"""

import math
import statistics
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from orders.models import Provider, Status
from orders.selectors.tabs import TABS


def measure_pages(user, provider: Provider, timeline_order: int, samples: int) -> dict:
    client = Client()
    client.force_login(user)
    figures: dict = {"orders_page": _orders_page(client, provider, samples)}
    figures["orders_counts"] = _counts(client, samples)
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
    # Every status tab but All (the first page), as staff click through them.
    tabs = {tab.key: _timed(client, f"{url}?tab={tab.key}", samples) for tab in TABS if tab.key}
    pages = [first, filtered, *tabs.values()]
    times = [t for page in pages for t in page.pop("times")]
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": max(page["queries"] for page in pages),
        "first_page": first,
        "filtered_page": filtered,
        "filter": f"status={Status.COMPLETED}&provider=<the simulator's provider>",
        "tab_pages": tabs,
        "tab_p50_ms_worst": max(page["p50_ms"] for page in tabs.values()),
    }


def _counts(client: Client, samples: int) -> dict:
    """The tabs' counts, asked by the list after it renders: each time counted afresh (the
    counts kept for 30 s are cleared first), so this is what a count costs, not the cache."""
    url = _page_url("order_list_counts")
    if url is None:
        return _missing()
    times, count = [], 0
    for n in range(samples + 1):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            _get(client, url)
            elapsed = (time.perf_counter() - started) * 1000
        if n:  # the first warms up
            times.append(elapsed)
        count = len(queries.captured_queries)
    return {"p50_ms": statistics.median(times), "p95_ms": _p95(times), "queries": count}


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
