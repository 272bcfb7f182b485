"""Accounts: a suspended one is refused on every action, as panels word it."""

import pytest

from simulator.models import SimAccount

ACTIONS = [
    ("balance", {}),
    ("services", {}),
    ("status", {"order": 1}),
    ("add", {"service": 1, "link": "https://instagram.com/p/a", "quantity": 100}),
    ("cancel", {"orders": "1"}),
]


@pytest.mark.parametrize(("action", "fields"), ACTIONS, ids=[a for a, _ in ACTIONS])
def test_a_suspended_account_is_refused_on_every_action(sim_api, sim_key, action, fields):
    SimAccount.objects.filter(api_key=sim_key).update(suspended=True)
    answer = sim_api(action, **fields)
    assert answer == {"error": "API is disable for this user or user not found"}


def test_an_account_in_good_standing_is_served(sim_api):
    assert "balance" in sim_api("balance")
