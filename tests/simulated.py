"""Fixtures: the dashboard against the simulator, in process. The client's HTTP goes through
the simulator's own view: its session is the transport the PROVIDER_TRANSPORT setting names."""

from decimal import Decimal

import pytest

from orders.models import Service
from orders.services.catalogue import catalogue_sync
from simulator import control
from simulator.testing import API_URL, funded_account, simulator_session
from tests.factories import make_provider


@pytest.fixture
def sim(db, settings):
    """The simulator with every order completing as planned, on a clock tests move.

    Provider clients made meanwhile send their calls through its in-process transport."""
    control.reset()
    control.set_behaviour(partial_share=0, cancel_share=0, refill_reject_share=0)
    control.set_speed(0)
    with simulator_session() as session:
        settings.PROVIDER_TRANSPORT = session
        yield control


@pytest.fixture
def provider(sim):
    return make_provider(
        api_url=API_URL, api_key=funded_account(Decimal("5000")), rate_limit_per_minute=6000
    )


@pytest.fixture
def catalogue(provider) -> dict[str, Service]:
    """The provider's synced catalogue, one service per type name (the first of each)."""
    catalogue_sync(provider=provider)
    by_type: dict[str, Service] = {}
    for service in Service.objects.filter(provider=provider).order_by("upstream_id"):
        by_type.setdefault(service.type, service)
    return by_type


@pytest.fixture
def default_service(catalogue) -> Service:
    return catalogue["Default"]
