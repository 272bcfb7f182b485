"""Each balance read is held against the ledger: expected, drift, flagged (no provider call:
the balance is handed in as the sync would after reading it)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import AuditEntry, BalanceCheck, LedgerEntry, LocalState, Movement
from orders.services.ledger import Posting, ledger_post, order_posting
from orders.services.reconciliation import (
    Funding,
    ReconcileRefused,
    balance_check_record,
    drift_acknowledge,
    provider_fund,
)
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def provider():
    return make_provider(currency="USD")


def check(provider, balance, currency="USD") -> BalanceCheck:
    return balance_check_record(
        provider=provider, balance=D(balance), currency=currency, read_from=timezone.now()
    )


def spend(provider, amount, kind=Movement.SPEND, currency="USD"):
    order = make_order(make_service(provider), submitted_at=timezone.now() - timedelta(hours=1))
    ledger_post([order_posting(order, kind, D(amount), currency)])
    return order


def fund(provider, kind, amount):
    ledger_post([Posting(kind=kind, amount=D(amount), currency="USD", provider_id=provider.pk)])


def test_the_first_check_has_nothing_to_compare_with(provider):
    first = check(provider, "100")
    assert (first.expected, first.drift, first.flagged) == (None, None, False)


def test_spend_since_the_last_check_is_expected_to_leave_the_balance(provider):
    check(provider, "100")
    spend(provider, "12.50")
    spend(provider, "-2.00", Movement.REFUND)
    spend(provider, "0.25", Movement.SPEND_ADJUSTMENT)
    second = check(provider, "89.25")
    assert (second.expected, second.drift, second.flagged) == (D("89.25"), D(0), False)


def test_top_ups_and_corrections_are_expected_to_move_it_up_or_down(provider):
    check(provider, "100")
    fund(provider, Movement.TOP_UP, "50")
    fund(provider, Movement.CORRECTION, "-3.10")
    assert check(provider, "146.90").drift == 0


def test_a_hidden_fee_over_the_tolerance_is_flagged_with_its_exact_amount(provider):
    check(provider, "100")
    spend(provider, "10")
    second = check(provider, "87.50")
    assert (second.expected, second.drift, second.flagged) == (D(90), D("-2.50"), True)


def test_a_drift_within_the_tolerance_is_shown_but_not_flagged(provider):
    check(provider, "100")
    second = check(provider, "99.00")
    assert (second.drift, second.flagged) == (D("-1.00"), False)


def test_the_tolerance_is_the_providers_own(provider):
    provider.drift_tolerance = D("0.10")
    check(provider, "100")
    assert check(provider, "99.80").flagged


def test_spend_in_another_currency_is_not_counted(provider):
    check(provider, "100")
    spend(provider, "40", currency="EUR")
    assert check(provider, "100").drift == 0


def test_a_currency_change_starts_again_with_no_expected(provider):
    check(provider, "100")
    changed = check(provider, "92", currency="EUR")
    assert (changed.expected, changed.flagged) == (None, False)
    assert check(provider, "92", currency="EUR").drift == 0


def test_a_check_while_an_order_is_being_submitted_is_in_flight_and_never_flagged(provider):
    check(provider, "100")
    make_order(make_service(provider), state=LocalState.SUBMITTING, upstream_id=None)
    odd = check(provider, "95")  # charged upstream, not booked yet
    assert (odd.in_flight, odd.drift, odd.flagged) == (True, D(-5), False)


def test_an_order_placed_during_the_read_marks_it_in_flight_too(provider):
    read_from = timezone.now()
    check(provider, "100")
    make_order(make_service(provider), submitted_at=timezone.now())
    later = balance_check_record(
        provider=provider, balance=D("95"), currency="USD", read_from=read_from
    )
    assert later.in_flight


def test_the_check_after_one_in_flight_compares_from_the_last_good_balance(provider):
    first = check(provider, "100")
    order = make_order(make_service(provider), state=LocalState.SUBMITTING, upstream_id=None)
    check(provider, "95")
    order.state = LocalState.PLACED
    order.save()
    ledger_post([order_posting(order, Movement.SPEND, D(5), "USD")])
    after = check(provider, "95")
    assert after.compared_with == first
    assert (after.drift, after.flagged) == (D(0), False)


def test_a_late_booking_shows_once_and_the_next_check_takes_it_back(provider):
    """A refund the provider paid before we saw the order end: drift now, none later."""
    first = check(provider, "100")
    early = check(provider, "104")  # refund paid upstream, our poll has not seen it yet
    assert (early.drift, early.flagged) == (D(4), True)
    spend(provider, "-4", Movement.REFUND)
    later = check(provider, "104")
    assert later.compared_with == first
    assert (later.drift, later.flagged) == (D(0), False)


def test_a_row_committed_after_a_later_timestamp_is_still_counted_once(provider):
    """The running total, not a time window: a row dated before the check but committed
    after it is counted by the next check."""
    first = check(provider, "100")
    order = make_order(make_service(provider))
    ledger_post(
        [order_posting(order, Movement.SPEND, D(7), "USD")], at=first.at - timedelta(minutes=1)
    )
    assert check(provider, "93").drift == 0


def test_a_persistent_fee_stays_flagged_until_it_is_corrected(provider):
    check(provider, "100")
    assert check(provider, "97").flagged
    assert check(provider, "97").flagged
    provider_fund(
        provider=provider, funding=Funding(Movement.CORRECTION, D(-3), "API fee"), user=None
    )
    assert not check(provider, "97").flagged


def test_acknowledging_accepts_the_balance_and_closes_earlier_flags(provider, admin_user):
    check(provider, "100")
    older = check(provider, "97")
    newer = check(provider, "97")
    assert drift_acknowledge(check=newer, note="monthly fee", user=admin_user) == 2
    older.refresh_from_db()
    assert (older.acknowledged_by, older.note) == (admin_user, "monthly fee")
    after = check(provider, "97")
    assert (after.compared_with, after.drift) == (newer, D(0))
    entry = AuditEntry.objects.get(action="drift acknowledged")
    assert entry.details["drift"] == "-3.00 USD"
    assert entry.details["note"] == "monthly fee"


def test_a_check_that_is_not_flagged_cannot_be_acknowledged(provider, admin_user):
    first = check(provider, "100")
    with pytest.raises(ReconcileRefused):
        drift_acknowledge(check=first, note="x", user=admin_user)


def test_a_top_up_is_a_ledger_row_with_its_reason_and_who_recorded_it(provider, admin_user):
    provider_fund(
        provider=provider, funding=Funding(Movement.TOP_UP, D(250), "wire 7781"), user=admin_user
    )
    row = LedgerEntry.objects.get()
    assert (row.kind, row.amount, row.currency) == (Movement.TOP_UP, D(250), "USD")
    assert (row.provider, row.memo, row.actor) == (provider, "wire 7781", admin_user)
    audit = AuditEntry.objects.get(action="provider top-up")
    assert (audit.details["amount"], audit.details["reason"]) == ("250.00 USD", "wire 7781")


def test_no_top_up_before_the_providers_currency_is_known(admin_user):
    unknown = make_provider(currency="")
    with pytest.raises(ReconcileRefused, match="currency"):
        provider_fund(
            provider=unknown, funding=Funding(Movement.TOP_UP, D(1), "x"), user=admin_user
        )
    assert not LedgerEntry.objects.exists()
