"""Properties: fed arbitrary JSON (or bytes), the client raises only its own exceptions."""

import contextlib
import json
from decimal import Decimal

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.upstream import (
    AmbiguousSubmission,
    ItemError,
    OrderStatus,
    ProviderClient,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    RefillStatus,
    ServiceRecord,
    parse,
)
from tests.upstream.network import API_KEY, API_URL

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "service",
    "name",
    "type",
    "category",
    "rate",
    "min",
    "max",
    "refill",
    "cancel",
    "dripfeed",
    "desc",
    "order",
    "status",
    "charge",
    "start_count",
    "remains",
    "currency",
    "balance",
    "error",
    "orders",
    "posts",
    "runs",
    "refills",
]
LIKELY = ["1", "0", "true", "Completed", "Cancelled", "-5", "0.27819", "", " 7 ", "1e999", "NaN"]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(LIKELY)
)
ID_KEYS = st.from_regex(r"[0-9]{1,3}", fullmatch=True)
PAYLOADS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=6)
        | st.dictionaries(ID_KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)
IDS = st.lists(st.integers(min_value=1, max_value=999), max_size=5)


class Canned(requests.adapters.BaseAdapter):
    """The network edge: answers every request with one canned response."""

    def __init__(self, body: bytes, status: int = 200, headers: dict | None = None) -> None:
        super().__init__()
        self.body, self.status, self.headers = body, status, headers or {}

    def send(self, request, **kwargs):  # type: ignore[override]
        response = requests.Response()
        response.status_code = self.status
        response._content = self.body
        response.headers.update(self.headers)
        response.request, response.url = request, request.url
        return response

    def close(self) -> None:
        pass


def client_answering(body: bytes, status: int = 200, headers: dict | None = None) -> ProviderClient:
    session = requests.Session()
    session.mount("https://", Canned(body, status, headers))
    return ProviderClient(API_URL, API_KEY, session=session)


def check_batch(result: dict, ids: list[int], kinds: tuple[type, ...]) -> None:
    assert list(result) == list(dict.fromkeys(ids))
    assert all(isinstance(v, (*kinds, ItemError)) for v in result.values())


@PROPERTY
@given(payload=PAYLOADS, ids=IDS)
def test_every_reader_fed_arbitrary_json_raises_only_the_clients_exceptions(payload, ids):
    client = client_answering(json.dumps(payload).encode())
    checks = [
        lambda: all(isinstance(s, (ServiceRecord, ItemError)) for s in client.services()),
        lambda: isinstance(client.status(1), OrderStatus),
        lambda: check_batch(client.statuses(ids), ids, (OrderStatus,)),
        lambda: isinstance(client.refill(1), int),
        lambda: check_batch(client.refills(ids), ids, (int,)),
        lambda: isinstance(client.refill_status(1), RefillStatus),
        lambda: check_batch(client.refill_statuses(ids), ids, (RefillStatus,)),
        lambda: check_batch(client.cancel(ids), ids, (bool,)),
        lambda: isinstance(client.balance().amount, Decimal),
    ]
    for run in checks:
        try:
            result = run()
        except ProviderError:
            continue
        assert result is not False


@PROPERTY
@given(payload=PAYLOADS)
def test_add_fed_arbitrary_json_returns_an_id_or_raises_a_settled_or_ambiguous_error(payload):
    client = client_answering(json.dumps(payload).encode())
    try:
        order_id = client.add(1, link="https://x.example/p", quantity=10)
    except (ProviderRejected, AmbiguousSubmission):
        return
    assert isinstance(order_id, int) and order_id > 0


@PROPERTY
@given(body=st.binary(max_size=300), status=st.integers(min_value=100, max_value=599))
def test_any_body_and_status_raise_only_the_clients_exceptions(body, status):
    client = client_answering(body, status, {"Retry-After": "5"})
    for run in (client.balance, lambda: client.statuses([1, 2])):
        try:
            run()
        except ProviderError as exc:
            assert API_KEY not in str(exc)
    try:
        client.add(1, link="x", quantity=10)
    except ProviderUnavailable as exc:
        assert status == 429 and exc.retry_after == 5.0
    except (ProviderRejected, AmbiguousSubmission):
        pass


@PROPERTY
@given(value=PAYLOADS)
def test_the_field_parsers_raise_only_value_errors(value):
    for function in (
        parse.parse_id,
        parse.parse_int,
        parse.parse_decimal,
        parse.parse_flag,
        parse.parse_text,
        parse.parse_id_list,
        parse.parse_optional_int,
        parse.parse_optional_decimal,
    ):
        with contextlib.suppress(ValueError):
            function(value)
    if isinstance(value, str):
        parse.parse_status(value)
        parse.parse_refill_status(value)
        parse.parse_reason(value)


@PROPERTY
@given(number=st.integers(min_value=1, max_value=2**63 - 1))
def test_an_id_reads_the_same_from_a_number_or_its_text(number):
    assert parse.parse_id(number) == parse.parse_id(str(number)) == number


@PROPERTY
@given(amount=st.decimals(allow_nan=False, allow_infinity=False, places=5))
def test_money_reads_exactly_from_its_text(amount):
    assert parse.parse_decimal(str(amount)) == amount
    assert parse.parse_decimal(json.loads(json.dumps(str(amount)))) == amount
