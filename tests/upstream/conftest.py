"""Fixtures for the provider client: a client wired to an observer, and the network edge."""

from collections.abc import Iterator

import pytest
import responses

from orders.upstream import CallRecord, ProviderClient
from tests.upstream.network import API_KEY, API_URL


@pytest.fixture
def calls() -> list[CallRecord]:
    """The record of each call's outcome (the "pending" ones told before sending left out)."""
    return []


@pytest.fixture
def client(calls: list[CallRecord]) -> ProviderClient:
    return ProviderClient(API_URL, API_KEY, observer=lambda r: r.pending or calls.append(r))


@pytest.fixture
def upstream() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock
