"""Our own API v2 at reseller scale: customers with keys and money, our services over the
dataset's services, a share of the million orders theirs with the account rows the product
would have written; then `status` for 100 of a customer's orders and `add`, timed through
Django's test client (the whole middleware stack, no network).

The account rows are written by one INSERT … SELECT, not through `account_post`: for each
customer an opening FUNDS row worth all their charges, then a CHARGE per order when it was
created and a REFUND of the undelivered share when a Partial, Canceled or Refunded order
ended, numbered in time order with the running sum as `balance_after` (so never below zero).
"""

import random
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from requests.adapters import HTTPAdapter

from bench.pages import _p95
from bench.placement import SERVICE, tasks_kept_here
from customers.models import AccountEntry, Customer, EntryKind, Offer
from customers.services.account import funds_add
from customers.services.keys import key_issue
from orders.models import ApiCall, Order, Provider, Service, Status

STATUS_IDS = 100  # the most one `status` call may ask for
RESERVE = Decimal(1_000_000)  # added through funds_add after the history, for the `add` rounds
MARKUP = Decimal("1.3")
FORM = "application/x-www-form-urlencoded"  # the protocol's body, never multipart


def make_customers(count: int) -> list[int]:
    """`count` customers in USD, with a request limit the timed rounds never reach."""
    made = Customer.objects.bulk_create(
        Customer(name=f"Bench customer {n + 1}", currency="USD", rate_limit_per_minute=10**9)
        for n in range(count)
    )
    return [customer.pk for customer in made]


def make_offers() -> int:
    """One of our services over each of the dataset's services, 30 % above its rate."""
    offers = Offer.objects.bulk_create(
        (
            Offer(
                service=service,
                name=service.name,
                category=service.category,
                rate=(service.rate * MARKUP).quantize(Decimal("0.00001")),
                min_quantity=service.min_quantity,
                max_quantity=service.max_quantity,
            )
            for service in Service.objects.filter(enabled=True, removed_at=None).iterator()
        ),
        batch_size=2000,
    )
    return len(offers)


def build_accounts(actor, *, vacuum: bool = True) -> dict[int, str]:
    """The customers' account rows for their orders, then a reserve added through funds_add
    and a key each (issued through key_issue); returns each customer's raw key."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_accounts_sql(), _accounts_params())
        if vacuum and connection.vendor == "postgresql":
            cursor.execute(f"VACUUM (ANALYZE) {quote(AccountEntry._meta.db_table)}")
    keys = {}
    for customer in Customer.objects.order_by("pk"):
        funds_add(customer=customer, amount=RESERVE, reason="bench reserve", actor=actor)
        keys[customer.pk] = key_issue(customer=customer, label="bench", actor=actor)[1]
    return keys


def _accounts_sql() -> str:
    quote = connection.ops.quote_name
    orders = quote(Order._meta.db_table)
    columns = ", ".join(
        quote(c)
        for c in (
            *("customer_id", "seq", "at", "kind", "amount", "currency", "balance_after"),
            *("order_id", "memo"),
        )
    )
    undelivered = "(CASE WHEN status = %s THEN 1.0 ELSE 1.0 * remains / quantity END)"
    ended = "status IN (%s, %s, %s) AND (status = %s OR remains > 0)"
    mine = "customer_id IS NOT NULL"
    # step orders the rows of one instant: the opening funds before the first charge.
    moves = (
        f"SELECT customer_id, MIN(created_at) AS at, 0 AS step, %s AS kind, SUM(price) AS amount,"
        f" NULL AS order_id, %s AS memo FROM {orders} WHERE {mine} GROUP BY customer_id "
        f"UNION ALL SELECT customer_id, created_at, 1, %s, -price, id, 'order #' || id "
        f"FROM {orders} WHERE {mine} "
        f"UNION ALL SELECT customer_id, completed_at, 2, %s, ROUND(price * {undelivered}, 5), "
        f"id, 'order #' || id || ': settled ' || status FROM {orders} WHERE {mine} AND {ended}"
    )
    window = "PARTITION BY m.customer_id ORDER BY m.at, m.step, m.order_id"
    return (
        f"INSERT INTO {quote(AccountEntry._meta.db_table)} ({columns}) "
        f"SELECT m.customer_id, ROW_NUMBER() OVER ({window}), m.at, m.kind, m.amount, "
        f"c.currency, SUM(m.amount) OVER ({window} ROWS UNBOUNDED PRECEDING), m.order_id, m.memo "
        f"FROM ({moves}) m JOIN {quote(Customer._meta.db_table)} c ON c.id = m.customer_id"
    )


def _accounts_params() -> list:
    ended = [Status.PARTIAL, Status.CANCELED, Status.REFUNDED, Status.REFUNDED]
    return [
        EntryKind.FUNDS,
        "opening balance",
        EntryKind.CHARGE,
        EntryKind.REFUND,
        Status.REFUNDED,
        *ended,
    ]


def measure_downstream(keys: dict[int, str], provider: Provider, rounds: int) -> dict:
    """`status` for 100 of a customer's orders and `add` of a Default service, `rounds`
    times each, after a warm-up; with the provider calls made meanwhile (ApiCall rows and
    HTTP requests), which must be none."""
    url = api_url()
    if url is None:  # the endpoint is not there yet: nothing to measure, and said so
        return _counts(keys) | {"missing": True, "status_100_p50_ms": None, "add_p50_ms": None}
    client = Client()
    with upstream_counted() as upstream:
        status = _status_rounds(client, url, keys, rounds)
    status_calls = upstream["calls"]
    offer = Offer.objects.filter(service__provider=provider, service__upstream_id=SERVICE).first()
    if offer is None:
        raise RuntimeError("no offer over the Default service the placement uses")
    with upstream_counted() as upstream, tasks_kept_here() as sent:
        add = _add_rounds(client, url, keys, offer, rounds)
    return _counts(keys) | {
        "status_ids": status.pop("ids"),
        "status_100_p50_ms": status["p50_ms"],
        "status_100_p95_ms": status["p95_ms"],
        "status_queries": status["queries"],
        "status_sql": status["sql"],
        "upstream_calls_for_status": status_calls,
        "add_p50_ms": add["p50_ms"],
        "add_p95_ms": add["p95_ms"],
        "add_queries": add["queries"],
        "add_sql": add["sql"],
        "add_orders": add["orders"],
        "add_charged": AccountEntry.objects.filter(
            kind=EntryKind.CHARGE, order_id__in=add["order_ids"]
        ).count(),
        "add_tasks_kept": len(sent),
        "upstream_calls_for_add": upstream["calls"],
        "rounds": rounds,
    }


def _counts(keys: dict[int, str]) -> dict:
    return {
        "customers": len(keys),
        "customer_orders": Order.objects.filter(customer__isnull=False).count(),
        "account_entries": AccountEntry.objects.count(),
    }


def api_url() -> str | None:
    try:
        return reverse("api-v2")
    except NoReverseMatch:
        return None


def _status_rounds(client: Client, url: str, keys: dict[int, str], rounds: int) -> dict:
    """Each round a customer in turn, 100 of their orders picked at random."""
    rng = random.Random(11)
    owned = {
        customer_id: list(
            Order.objects.filter(customer_id=customer_id).values_list("pk", flat=True)
        )
        for customer_id in keys
    }
    asked = []
    for n in range(len(keys) + 1 + rounds):
        customer_id = list(keys)[n % len(keys)]
        ids = rng.sample(owned[customer_id], min(STATUS_IDS, len(owned[customer_id])))
        asked.append((keys[customer_id], ids))
    asked_ids = len(asked[0][1])

    def post(key: str, order_ids: list[int]) -> dict:
        form = {"key": key, "action": "status", "orders": ",".join(map(str, order_ids))}
        answer = _post(client, url, form)
        if len(answer) != len(order_ids) or any("error" in a for a in answer.values()):
            raise RuntimeError(f"status answered errors for the customer's own orders: {answer}")
        return answer

    return _timed(post, asked, len(keys)) | {"ids": asked_ids}


def _add_rounds(client: Client, url: str, keys: dict[int, str], offer: Offer, rounds: int):
    run = uuid.uuid4().hex[:8]
    quantity = max(offer.min_quantity, min(100, offer.max_quantity))
    asked = [
        (keys[list(keys)[n % len(keys)]], f"https://instagram.com/p/api-{run}-{n}")
        for n in range(len(keys) + 1 + rounds)
    ]
    made: list[int] = []

    def post(key: str, link: str) -> dict:
        form = {"key": key, "action": "add", "service": offer.pk, "link": link}
        answer = _post(client, url, form | {"quantity": quantity})
        if "order" not in answer:
            raise RuntimeError(f"add answered {answer}")
        made.append(int(answer["order"]))
        return answer

    figures = _timed(post, asked, len(keys))
    return figures | {
        "orders": Order.objects.filter(pk__in=made, customer__isnull=False).count(),
        "order_ids": made,
    }


def _timed(post, asked: list[tuple], warm: int) -> dict:
    """The first `warm` requests (one per customer) warm caches and make each key's first
    use (its request bucket, its last use) as a busy client's key has had; the next one
    counts queries; the others are timed."""
    for args in asked[:warm]:
        post(*args)
    with CaptureQueriesContext(connection) as queries:
        post(*asked[warm])
    # now: the next request clears the log
    count, sql = len(queries.captured_queries), [q["sql"][:400] for q in queries]
    times = []
    for args in asked[warm + 1 :]:
        started = time.perf_counter()
        post(*args)
        times.append((time.perf_counter() - started) * 1000)
    times = times or [0.0]
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": _p95(times),
        "queries": count,
        "sql": sql,
    }


def _post(client: Client, url: str, form: dict) -> dict:
    response = client.post(url, urlencode(form), content_type=FORM)
    if response.status_code != 200:
        raise RuntimeError(f"POST {url} action={form['action']} answered {response.status_code}")
    return response.json()


@contextmanager
def upstream_counted() -> Iterator[dict]:
    """Counts the provider calls made inside: rows of the call log, and HTTP requests sent
    by any `requests` session (the provider client's transport), whichever is more."""
    counted = {"calls": 0}
    sent = [0]
    real = HTTPAdapter.send

    def send(self, request, *args, **kwargs):
        sent[0] += 1
        return real(self, request, *args, **kwargs)

    before = ApiCall.objects.count()
    HTTPAdapter.send = send  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        HTTPAdapter.send = real  # type: ignore[method-assign]
        counted["calls"] = max(ApiCall.objects.count() - before, sent[0])
