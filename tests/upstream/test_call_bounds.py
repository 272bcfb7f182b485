"""Every call is bounded: an overall deadline, and a bound on the answer's size.

Real sockets on 127.0.0.1: a server that drips its answer, and one that floods it. What the
client read is bounded by what the server got out before the client stopped listening.
"""

import json
from decimal import Decimal

import pytest

from orders.upstream import (
    AmbiguousSubmission,
    InvalidAnswer,
    ProviderClient,
    ProviderError,
    ProviderUnavailable,
)
from orders.upstream.client import MAX_ANSWER_BYTES
from orders.upstream.errors import Failure
from tests.upstream import network
from tests.upstream.network import API_KEY

MiB = 1024 * 1024
FLOOD = 64 * MiB
BALANCE = b'{"balance": "12.50", "currency": "USD"}' + b" " * 1000
ORDER = b'{"order": 23501}' + b" " * 1000


def balance(client: ProviderClient) -> object:
    return client.balance()


def place(client: ProviderClient) -> object:
    return client.add(1, link="https://instagram.com/p/x", quantity=100)


def failure_of(handle, action, **bounds) -> ProviderError:
    """Run `action` against a local server that behaves as `handle`; return what it raised."""
    with network.local_server(handle) as url:
        client = ProviderClient(
            url, API_KEY, timeout=(1.0, 2.0), session=network.direct_session(), **bounds
        )
        try:
            action(client)
        except ProviderError as exc:
            return exc
    raise AssertionError("the call succeeded")


def test_an_answer_dripped_a_byte_at_a_time_is_cut_at_the_deadline():
    sent = network.Sent()
    error = failure_of(network.drips(BALANCE, sent), balance, deadline=0.3)
    assert isinstance(error, ProviderUnavailable)
    assert error.retryable
    assert error.reason == Failure.DEADLINE
    assert sent.bytes < len(BALANCE)


def test_an_answer_whose_headers_drip_is_cut_at_the_deadline():
    sent = network.Sent()
    with network.local_server(network.drips(BALANCE, sent, headers_at_once=False)) as url:
        client = ProviderClient(url, API_KEY, timeout=(1.0, 2.0), deadline=0.3)  # its own session
        with pytest.raises(ProviderUnavailable) as caught:
            client.balance()
    assert caught.value.reason == Failure.DEADLINE
    assert sent.bytes < 1000  # cut before the headers were all in


def test_an_add_whose_answer_is_cut_at_the_deadline_is_ambiguous():
    sent = network.Sent()
    error = failure_of(network.drips(ORDER, sent), place, deadline=0.3)
    assert isinstance(error, AmbiguousSubmission)
    assert error.reason == Failure.DEADLINE
    assert sent.bytes < len(ORDER)


def test_an_answer_announced_larger_than_the_bound_is_refused_unread():
    sent = network.Sent()
    error = failure_of(network.floods(FLOOD, sent, declared=True), balance, max_answer_bytes=MiB)
    assert isinstance(error, InvalidAnswer)
    assert error.reason == Failure.TOO_LARGE
    assert f"{FLOOD} bytes" in str(error)  # refused on the announced size
    assert sent.bytes < FLOOD // 4  # what the kernel's buffers took, at most


def test_an_answer_that_grows_past_the_bound_is_refused_and_not_read_further():
    sent = network.Sent()
    error = failure_of(network.floods(FLOOD, sent, declared=False), balance, max_answer_bytes=MiB)
    assert isinstance(error, InvalidAnswer)
    assert error.reason == Failure.TOO_LARGE
    assert sent.bytes < FLOOD // 4


def test_an_add_whose_answer_is_too_large_is_ambiguous():
    sent = network.Sent()
    error = failure_of(network.floods(FLOOD, sent, declared=False), place, max_answer_bytes=MiB)
    assert isinstance(error, AmbiguousSubmission)
    assert error.reason == Failure.TOO_LARGE


def test_an_answer_of_exactly_the_bound_is_read():
    body = b'{"balance": "12.50", "currency": "USD"}'
    with network.local_server(network.answers(body)) as url:
        client = ProviderClient(
            url, API_KEY, session=network.direct_session(), max_answer_bytes=len(body)
        )
        assert client.balance().amount == Decimal("12.50")


def test_a_catalogue_of_50000_services_with_long_names_fits_well_within_the_bound():
    name = ("Instagram Followers [Real, HQ] [Refill 30D] " * 6)[:255]
    entry = {
        "service": 123456,
        "name": name,
        "type": "Default",
        "category": "Instagram Followers - Real Accounts - Refill 30 Days - Instant Start",
        "rate": "12.3456",
        "min": "100",
        "max": "1000000",
        "refill": True,
        "cancel": True,
    }
    size = len(json.dumps([entry] * 50_000).encode())
    assert size * 2 < MAX_ANSWER_BYTES


@pytest.mark.parametrize("bounds", [{"deadline": 0}, {"max_answer_bytes": 0}])
def test_it_refuses_a_bound_that_is_not_positive(bounds):
    with pytest.raises(ValueError, match="positive"):
        ProviderClient(network.API_URL, API_KEY, **bounds)
