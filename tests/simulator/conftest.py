"""Fixtures for the simulator's tests, usable by any test that needs a provider.

`sim_api("status", order=12)` posts to the simulator in process (through the same
requests adapter other tests can mount) and returns the decoded answer.
"""

from decimal import Decimal

import pytest

from simulator import control
from simulator.testing import API_URL, funded_account, simulator_session


@pytest.fixture
def sim(db):
    """The simulator with every order completing as planned, on a clock that moves only when
    a test advances it (`sim.advance_clock(seconds)`)."""
    control.reset()
    control.set_behaviour(partial_share=0, cancel_share=0, refill_reject_share=0)
    control.set_speed(0)
    return control


@pytest.fixture
def sim_key(sim) -> str:
    return funded_account(Decimal("1000"))


@pytest.fixture
def sim_session():
    with simulator_session() as session:
        yield session


@pytest.fixture
def sim_post(sim_session, sim_key):
    """Post a form to the API and return the raw `requests` response."""

    def post(action: str, key: str | None = None, **params):
        data = {"key": sim_key if key is None else key, "action": action} | params
        return sim_session.post(API_URL, data=data, timeout=5)

    return post


@pytest.fixture
def sim_api(sim_post):
    """Post a form to the API and return its JSON answer."""

    def call(action: str, key: str | None = None, **params):
        response = sim_post(action, key, **params)
        assert response.status_code == 200, response.text
        return response.json()

    return call


@pytest.fixture
def place(sim_api):
    """Place an order and return its id: place(1, "https://instagram.com/p/x", quantity=1000)."""

    def add(service: int, link: str = "https://instagram.com/p/demo", **params):
        answer = sim_api("add", service=service, link=link, **params)
        assert "order" in answer, answer
        return answer["order"]

    return add
