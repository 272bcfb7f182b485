"""Properties: whatever number a provider sends, it is read as one the columns hold, or it
makes its item invalid; nothing else raises, nothing stored breaks a page."""

import contextlib
import json
from decimal import Decimal

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Order, Provider, Service
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.polling import orders_poll
from orders.upstream import (
    Balance,
    InvalidAnswer,
    ItemError,
    OrderStatus,
    ProviderRejected,
    RefillStatus,
    ServiceRecord,
)
from orders.upstream import answers as read
from orders.upstream.parse import MAX_INT, MONEY_LIMIT, MONEY_PLACES
from tests.engine.numbers import a_service, service_item
from tests.factories import make_order

ODD = [
    *("1e20", "1e309", "-1e309", "12345678901234567", "1000000000000000", "NaN", "Infinity"),
    *("-Infinity", "1e-30", "0.123456785", "999999999999999.99999999", "-0", "+5", " 5"),
    *("1e5", "1.0", "\u00b2", "\u0661\u0662", "\uff15", "9223372036854775808", "-1", "0"),
    *("999999999999999.999999995", "0E-8", "5", "0.5", ""),
]
# A number as JSON writes it (read back as an int or a Decimal), or any text.
JSON_NUMBER = st.from_regex(
    r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,12})?([eE][+-]?[0-9]{1,3})?", fullmatch=True
)
TEXT = (
    st.sampled_from(ODD)
    | st.from_regex(r"[ +-]?[0-9]{0,20}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,4})?", fullmatch=True)
    | st.text(max_size=8)
)
# A value as a fragment of JSON text: a number or a string.
VALUES = JSON_NUMBER | TEXT.map(json.dumps)
PROPERTY = settings(max_examples=300, deadline=None)
DB_PROPERTY = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def decoded(fragment: str):
    return json.loads(fragment, parse_float=Decimal)


def fits_money(amount: Decimal | None, *, signed: bool = False) -> bool:
    if amount is None:
        return True
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return abs(amount) < MONEY_LIMIT and exponent >= -MONEY_PLACES and (signed or amount >= 0)


def fits_count(count: int | None, *, signed: bool = False) -> bool:
    return count is None or (-MAX_INT if signed else 0) <= count <= MAX_INT


def is_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_INT


@PROPERTY
@given(charge=VALUES, start=VALUES, remains=VALUES)
def test_a_status_answer_is_read_within_the_columns_or_as_an_invalid_item(charge, start, remains):
    item = decoded(
        f'{{"status": "Completed", "charge": {charge}, "start_count": {start}, '
        f'"remains": {remains}}}'
    )
    answer = read.read_statuses({"1": item}, [1])[1]
    if isinstance(answer, ItemError):
        assert answer.raw
    else:
        assert fits_money(answer.charge) and fits_count(answer.start_count)
        assert fits_count(answer.remains, signed=True)
    try:
        single = read.read_status(item)
    except InvalidAnswer:
        assert isinstance(answer, ItemError)
    else:
        assert isinstance(single, OrderStatus) and single == answer


@PROPERTY
@given(service=VALUES, rate=VALUES, low=VALUES, high=VALUES)
def test_a_service_is_read_within_the_columns_or_as_an_invalid_item(service, rate, low, high):
    item = decoded(f'{{"service": {service}, "rate": {rate}, "min": {low}, "max": {high}}}')
    good = {"service": 1, "rate": "1", "min": 1, "max": 2}
    first, second = read.read_services([item, good])
    assert isinstance(second, ServiceRecord)
    if isinstance(first, ItemError):
        assert first.raw and (first.item_id is None or is_id(first.item_id))
    else:
        assert is_id(first.service_id) and fits_money(first.rate)
        assert fits_count(first.min) and fits_count(first.max)


@PROPERTY
@given(amount=VALUES)
def test_a_balance_is_read_within_its_column_or_refused(amount):
    try:
        balance = read.read_balance(decoded(f'{{"balance": {amount}, "currency": "USD"}}'))
    except InvalidAnswer:
        return
    assert isinstance(balance, Balance) and fits_money(balance.amount, signed=True)


@PROPERTY
@given(value=VALUES)
def test_an_id_is_ascii_digits_within_a_bigint_or_refused(value):
    payload = decoded(value)
    readers = [
        lambda: read.read_order_id({"order": payload}),
        lambda: read.read_refill_id({"refill": payload}),
        lambda: read.read_refills([{"order": 1, "refill": payload}], [1])[1],
    ]
    for reader in readers:
        try:
            result = reader()
        except (InvalidAnswer, ProviderRejected):
            continue
        if isinstance(result, ItemError):
            continue
        assert is_id(result)
        text = str(payload)
        assert type(payload) is int or (text.isascii() and text.isdigit())
    read_as_one = (type(payload) is int and payload == 1) or payload == "1"
    try:
        statuses_by_id = read.read_refill_statuses(
            [{"refill": payload, "status": "Completed"}], [1]
        )
    except InvalidAnswer:  # no entry for the id asked: a wrong-shape answer, never another id's
        assert not read_as_one
    else:
        assert isinstance(statuses_by_id[1], RefillStatus) == read_as_one


def stored_amounts() -> list:
    """Every amount as the database holds it, read without Django's conversion."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT charge FROM orders_order UNION ALL SELECT rate FROM orders_service"
            " UNION ALL SELECT balance FROM orders_provider"
        )
        return [row[0] for row in cursor.fetchall() if row[0] is not None]


@DB_PROPERTY
@given(
    charges=st.lists(VALUES, min_size=3, max_size=3),
    counts=st.lists(VALUES, min_size=3, max_size=3),
    rate=VALUES,
    balance=VALUES,
)
@pytest.mark.django_db
def test_whatever_numbers_come_in_what_is_stored_fits_and_every_page_renders(
    upstream, answering_provider, superuser_client, charges, counts, rate, balance
):
    provider = Provider.objects.get(pk=answering_provider.pk)
    service = a_service(provider)
    orders = [make_order(service) for _ in charges]
    items = ", ".join(
        f'"{order.upstream_id}": {{"status": "In progress", "charge": {charge},'
        f' "remains": {count}, "start_count": {count}}}'
        for order, charge, count in zip(orders, charges, counts, strict=True)
    )
    upstream.bodies["status"] = f"{{{items}}}"
    item = json.dumps(service_item(service.upstream_id, rate="RATE")).replace('"RATE"', rate)
    upstream.bodies["services"] = f"[{item}, {json.dumps(service_item(1))}]"
    upstream.bodies["balance"] = f'{{"balance": {balance}, "currency": "USD"}}'
    orders_poll(provider=provider)
    catalogue_sync(provider=provider)
    with contextlib.suppress(InvalidAnswer):  # the provider's last error: not stored
        balance_sync(provider=provider)
    for amount in stored_amounts():
        assert abs(Decimal(str(amount))) < MONEY_LIMIT
    list(Order.objects.values_list("charge", "start_count", "remains"))
    list(Service.objects.values_list("rate", flat=True))
    for path in [
        "/",
        "/orders/",
        "/orders/live/",
        f"/orders/{orders[0].pk}/",
        "/catalogue/",
        "/providers/",
        "/system/",
        "/admin/orders/order/",
    ]:
        assert superuser_client.get(path).status_code == 200, path
