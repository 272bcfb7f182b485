"""The ledger takes rows only by appending them, and its daily roll-up always equals it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from orders.models import LedgerDay, LedgerDayTotal, LedgerEntry, Movement
from orders.services.ledger import Posting, ledger_day, ledger_post, order_posting
from tests.factories import make_order, make_provider, make_service
from tests.money.booked import rollup_matches_entries

pytestmark = pytest.mark.django_db


def test_postings_for_the_same_day_and_group_add_into_one_rollup_row():
    order = make_order(cost=Decimal("1.20"), price=Decimal("1.56"))
    at = datetime(2026, 12, 1, 10, tzinfo=UTC)
    ledger_post([order_posting(order, Movement.SPEND, Decimal("1.20"), "USD")], at=at)
    ledger_post([order_posting(order, Movement.REFUND, Decimal("-0.35"), "USD")], at=at)
    ledger_post([order_posting(order, Movement.SPEND, Decimal("2.00"), "USD")], at=at)

    spend = LedgerDay.objects.get(kind=Movement.SPEND)
    assert (spend.amount, spend.entries, spend.day) == (Decimal("3.2"), 2, ledger_day(at))
    assert LedgerDay.objects.get(kind=Movement.REFUND).amount == Decimal("-0.35")
    assert LedgerEntry.objects.count() == 3
    assert rollup_matches_entries()


def test_currencies_and_days_are_kept_apart():
    order = make_order()
    ledger_post(
        [
            order_posting(order, Movement.SPEND, Decimal("1"), "USD"),
            order_posting(order, Movement.SPEND, Decimal("1"), "EUR"),
        ],
        at=datetime(2026, 12, 1, 10, tzinfo=UTC),
    )
    ledger_post(
        [order_posting(order, Movement.SPEND, Decimal("1"), "USD")],
        at=datetime(2026, 12, 2, 10, tzinfo=UTC),
    )
    assert LedgerDay.objects.filter(kind=Movement.SPEND).count() == 3
    assert rollup_matches_entries()


def test_a_placement_at_zero_is_kept_so_reports_count_the_order():
    order = make_order()
    written = ledger_post(
        [
            order_posting(order, Movement.SPEND, Decimal(0), "USD"),
            order_posting(order, Movement.SALE, Decimal(0), "USD"),
        ]
    )
    assert written == 1
    row = LedgerDayTotal.objects.get()
    assert (row.kind, row.amount, row.entries) == (Movement.SPEND, Decimal(0), 1)


def test_zero_amounts_write_nothing():
    order = make_order()
    assert ledger_post([order_posting(order, Movement.SPEND_ADJUSTMENT, Decimal(0), "USD")]) == 0
    assert not LedgerEntry.objects.exists() and not LedgerDay.objects.exists()


def test_eight_decimal_places_survive_the_rollup():
    order = make_order()
    for _ in range(3):
        ledger_post([order_posting(order, Movement.SPEND, Decimal("0.00000001"), "USD")])
    assert LedgerDay.objects.get().amount == Decimal("0.00000003")


def test_a_provider_top_up_has_no_order():
    order = make_order()
    ledger_post(
        [
            Posting(
                Movement.TOP_UP,
                Decimal("50"),
                "USD",
                provider_id=order.provider_id,
                memo="wire 2026-12-01",
            )
        ]
    )
    row = LedgerDay.objects.get()
    assert (row.provider_key, row.service_key, row.order_type) == (order.provider_id, 0, "")
    total = LedgerDayTotal.objects.get()
    assert (total.provider_key, total.amount) == (order.provider_id, Decimal("50"))


def test_services_of_one_provider_and_day_share_one_total_row():
    provider = make_provider()
    first, second = make_order(make_service(provider)), make_order(make_service(provider))
    ledger_post(
        [
            order_posting(first, Movement.SPEND, Decimal("1.25"), "USD"),
            order_posting(second, Movement.SPEND, Decimal("2.50"), "USD"),
        ]
    )
    assert LedgerDay.objects.count() == 2  # one per service
    total = LedgerDayTotal.objects.get()
    assert (total.amount, total.entries) == (Decimal("3.75"), 2)
    assert rollup_matches_entries()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: its trigger")
@pytest.mark.parametrize("statement", ["UPDATE {t} SET amount = 0", "DELETE FROM {t}"])
def test_postgresql_refuses_to_edit_or_delete_a_ledger_row(statement):
    order = make_order()
    ledger_post([order_posting(order, Movement.SPEND, Decimal("1"), "USD")])
    table = LedgerEntry._meta.db_table
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(t=table))
    assert LedgerEntry.objects.get().amount == Decimal("1")
