"""Our books against the provider's: orders placed and settled through the engine, the
balance synced, a hidden fee, a top-up, all held against the simulator's own ledger."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from orders.models import (
    SPEND_KINDS,
    BalanceCheck,
    LedgerEntry,
    Movement,
    Order,
)
from orders.services.balances import balance_sync
from orders.services.polling import orders_poll
from orders.services.reconciliation import Funding, provider_fund
from simulator.ledger import account_statement, ledger_sum
from simulator.models import SimAccount, SimMove
from tests.engine.helpers import make_all_due, placed

pytestmark = pytest.mark.django_db
TEN_DAYS = 10 * 24 * 3600
ZERO = Decimal(0)


def sim_account(provider) -> SimAccount:
    return SimAccount.objects.get(api_key=provider.api_key)


def our_spend(provider, since: BalanceCheck) -> Decimal:
    rows = LedgerEntry.objects.filter(provider=provider, kind__in=SPEND_KINDS, at__gt=since.at)
    return rows.aggregate(total=Sum("amount", default=ZERO))["total"]


def settle_a_mix(sim, provider, service) -> list[Order]:
    """Two orders each ending Completed, Partial and Canceled, placed and polled as the
    engine does."""
    orders: list[Order] = []
    for behaviour in ({}, {"partial_share": 1}, {"cancel_share": 1}):
        sim.set_behaviour(**({"partial_share": 0, "cancel_share": 0} | behaviour))
        for _ in range(2):  # a link each: the provider refuses a second active order on one
            link = f"https://instagram.com/p/{len(orders)}"
            orders += placed(service, 1, link=link, quantity=1000)
    sim.advance_clock(TEN_DAYS)
    make_all_due()
    orders_poll(provider=provider)
    for order in orders:  # booked and settled by the engine itself
        order.refresh_from_db()
        assert order.settled_at is not None
    return orders


@pytest.fixture
def reconciled(sim, provider, default_service):
    """A first check, then six orders settled, then a second check."""
    first = BalanceCheck.objects.get(pk=_sync(provider).pk)
    orders = settle_a_mix(sim, provider, default_service)
    return first, orders, _sync(provider)


def _sync(provider) -> BalanceCheck:
    balance_sync(provider=provider)
    return BalanceCheck.objects.filter(provider=provider).first()


def test_settled_orders_leave_no_drift_and_our_spend_is_the_providers(provider, reconciled):
    first, orders, second = reconciled
    statuses = sorted(order.status for order in orders)
    assert statuses == ["canceled"] * 2 + ["completed"] * 2 + ["partial"] * 2
    assert (second.compared_with, second.drift, second.flagged) == (first, ZERO, False)
    truth = account_statement(sim_account(provider).pk)
    paid_upstream = -(truth[SimMove.CHARGE] + truth[SimMove.REFUND])
    assert paid_upstream > 0
    assert our_spend(provider, first) == paid_upstream
    assert sim_account(provider).balance == ledger_sum(sim_account(provider).pk)


def test_a_hidden_fee_is_flagged_with_its_exact_amount_on_home_and_the_page(
    sim, provider, reconciled, client_as, admin_user
):
    sim.take_fee(provider.api_key, "2.37", memo="API access fee")
    check = _sync(provider)
    assert (check.drift, check.flagged) == (Decimal("-2.37"), True)
    client = client_as(admin_user)
    home = client.get("/").content.decode()
    assert "Balance drift" in home and "-2.37 USD" in home
    page = client.get(f"/providers/{provider.pk}/reconciliation/").content.decode()
    assert "-2.37 USD" in page and "Acknowledge drift" in page


def test_after_acknowledging_the_fee_a_top_up_on_both_sides_leaves_no_drift(
    sim, provider, reconciled, client_as, admin_user
):
    sim.take_fee(provider.api_key, "2.37")
    fee = _sync(provider)
    client = client_as(admin_user)
    base = f"/providers/{provider.pk}/reconciliation"
    client.post(f"{base}/checks/{fee.pk}/acknowledge/", {"note": "API access fee"})
    sim.top_up(provider.api_key, "150")
    client.post(f"{base}/top-up/", {"top_up-amount": "150", "top_up-reason": "card payment"})
    after = _sync(provider)
    assert (after.compared_with, after.drift, after.flagged) == (fee, ZERO, False)
    assert "Balance drift" not in client.get("/").content.decode()


def test_a_correction_for_the_fee_explains_it_to_the_next_check(sim, provider, reconciled):
    _, _, second = reconciled
    sim.take_fee(provider.api_key, "2.37")
    assert _sync(provider).flagged
    provider_fund(
        provider=provider, funding=Funding(Movement.CORRECTION, Decimal("-2.37"), "fee"), user=None
    )
    after = _sync(provider)
    assert (after.compared_with, after.drift, after.flagged) == (second, ZERO, False)


def test_a_top_up_we_did_not_record_shows_as_a_drift_until_we_do(sim, provider, reconciled):
    sim.top_up(provider.api_key, "40")
    assert (_sync(provider).drift, BalanceCheck.objects.first().flagged) == (Decimal(40), True)
    provider_fund(
        provider=provider, funding=Funding(Movement.TOP_UP, Decimal(40), "late entry"), user=None
    )
    assert not _sync(provider).flagged
