"""The simulator's own ledger: every balance change is an entry, so the balance is their sum."""

import json
from decimal import Decimal

import pytest

from simulator import control
from simulator.ledger import account_statement, ledger_sum
from simulator.models import SimAccount, SimLedgerEntry, SimMove

TEN_DAYS = 10 * 24 * 3600


def account(key: str) -> SimAccount:
    return SimAccount.objects.get(api_key=key)


def assert_balance_is_the_sum_of_entries(key: str) -> None:
    held = account(key)
    assert held.balance == ledger_sum(held.pk)


def test_a_new_account_opens_with_its_balance(sim_key):
    assert account_statement(account(sim_key).pk) == {SimMove.OPENING: Decimal("1000")}
    assert_balance_is_the_sum_of_entries(sim_key)


def test_an_order_is_charged_at_add_and_refunded_when_it_ends_partial(sim, sim_key, sim_api, place):
    sim.set_behaviour(partial_share=1)
    order = place(1, quantity=1000)
    entry = SimLedgerEntry.objects.get(kind=SimMove.CHARGE)
    assert (entry.order_id, entry.amount) == (
        order,
        -Decimal(sim_api("status", order=order)["charge"]),
    )
    sim.advance_clock(TEN_DAYS)
    status = sim_api("status", order=order)
    assert status["status"] == "Partial"
    refund = SimLedgerEntry.objects.get(kind=SimMove.REFUND)
    assert refund.order_id == order
    assert -entry.amount - refund.amount == Decimal(status["charge"])
    assert_balance_is_the_sum_of_entries(sim_key)


def test_a_canceled_order_gets_its_whole_price_back(sim, sim_key, sim_api, place):
    sim.set_behaviour(cancel_share=1)
    place(1, quantity=1000)
    sim.advance_clock(TEN_DAYS)
    assert Decimal(sim_api("balance")["balance"]) == Decimal("1000")
    statement = account_statement(account(sim_key).pk)
    assert statement[SimMove.CHARGE] == -statement[SimMove.REFUND]
    assert_balance_is_the_sum_of_entries(sim_key)


def test_subscription_posts_are_charged_as_they_are_placed(sim, sim_key, sim_api):
    sim_api("add", service=15, username="natgeo", min=100, max=200, delay=0)
    sim.advance_clock(3 * 3600 + 60)
    sim_api("balance")
    charges = SimLedgerEntry.objects.filter(kind=SimMove.CHARGE)
    assert charges.count() >= 3
    assert all(entry.order_id and entry.amount < 0 for entry in charges)
    assert_balance_is_the_sum_of_entries(sim_key)


def test_a_hidden_fee_takes_money_with_no_order(sim, sim_key, sim_api):
    control.take_fee(sim_key, "2.50", memo="monthly API fee")
    assert sim_api("balance")["balance"] == "997.50000"
    fee = SimLedgerEntry.objects.get(kind=SimMove.FEE)
    assert (fee.amount, fee.order_id, fee.memo) == (Decimal("-2.50"), None, "monthly API fee")
    assert_balance_is_the_sum_of_entries(sim_key)


def test_a_top_up_and_a_set_balance_are_entries_too(sim, sim_key):
    control.top_up(sim_key, "150")
    control.fund(sim_key, "400")
    statement = account_statement(account(sim_key).pk)
    assert statement[SimMove.TOP_UP] == Decimal("150")
    assert statement[SimMove.SET] == Decimal("-750")
    assert account(sim_key).balance == Decimal("400")
    assert_balance_is_the_sum_of_entries(sim_key)


@pytest.mark.parametrize("amount", ["0", "-5", "NaN", "abc"])
def test_a_fee_or_top_up_must_be_a_positive_amount(sim, sim_key, amount):
    with pytest.raises(ValueError, match="amount"):
        control.take_fee(sim_key, amount)
    assert not SimLedgerEntry.objects.exclude(kind=SimMove.OPENING).exists()


def test_the_control_endpoint_takes_a_fee_and_a_top_up(sim, sim_key, client):
    commands = {
        "fee": {"key": sim_key, "amount": "3.25", "memo": "hidden"},
        "top_up": {"key": sim_key, "amount": "10"},
    }
    response = client.post(
        "/simulator/control", json.dumps(commands), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert account(sim_key).balance == Decimal("1006.75")
    assert_balance_is_the_sum_of_entries(sim_key)


def test_the_control_endpoint_refuses_a_fee_for_an_unknown_key(sim, client):
    commands = {"fee": {"key": "nobody", "amount": "1"}}
    response = client.post(
        "/simulator/control", json.dumps(commands), content_type="application/json"
    )
    assert response.status_code == 400
    assert "no account" in response.json()["error"]
