"""The demo provider of `make run`: a funded account on the built-in simulator."""

from decimal import Decimal

from simulator.demo import ensure_demo_account
from simulator.models import SimAccount, SimService


def test_it_makes_a_funded_account_and_the_catalogue(db):
    key = ensure_demo_account()
    assert SimAccount.objects.get(api_key=key).balance == Decimal("1000")
    assert SimService.objects.filter(service_id=1).exists()


def test_it_returns_the_same_account_every_time(db):
    assert ensure_demo_account() == ensure_demo_account()
    assert SimAccount.objects.count() == 1


def test_it_uses_the_key_it_is_given(db):
    assert ensure_demo_account("demo-key-123") == "demo-key-123"
    assert ensure_demo_account("demo-key-123") == "demo-key-123"
    assert SimAccount.objects.get().api_key == "demo-key-123"


def test_it_leaves_an_existing_balance_alone(db):
    key = ensure_demo_account()
    SimAccount.objects.filter(api_key=key).update(balance=Decimal("12.5"))
    ensure_demo_account()
    assert SimAccount.objects.get().balance == Decimal("12.5")


def test_the_demo_key_works_on_the_embedded_api(db, client):
    key = ensure_demo_account()
    response = client.post("/simulator/api/v2", {"key": key, "action": "balance"})
    assert response.json() == {"balance": "1000.00000", "currency": "USD"}
