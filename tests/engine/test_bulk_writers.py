"""The bulk writers store money and counts as the columns hold them, on every database."""

from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Order, Provider, Service, ServiceChange
from orders.services.bulk import insert_rows, update_rows
from orders.upstream.parse import MONEY_LIMIT, MONEY_PLACES
from tests.factories import make_order, make_provider

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written, stored",
    [
        (Decimal("0.123456785"), Decimal("0.12345679")),
        (Decimal("-0.123456785"), Decimal("-0.12345679")),
        (Decimal("0.123456775"), Decimal("0.12345678")),
        (Decimal("1E-30"), Decimal("0")),
        (Decimal("1234567.12345678"), Decimal("1234567.12345678")),
    ],
)
def test_an_amount_is_written_at_the_columns_places_rounded_half_up(written, stored):
    order = make_order()
    order.charge = written
    update_rows([order], ["charge"])
    order.refresh_from_db()
    assert order.charge == stored


@pytest.mark.parametrize("amount", ["1E+20", "12345678901234567", "Infinity", "NaN"])
def test_an_amount_the_column_cannot_hold_is_refused_and_nothing_is_written(amount):
    order = make_order(charge=Decimal("1.5"))
    other = make_order(service=order.service, charge=Decimal("2.5"))
    order.charge = Decimal(amount)
    with pytest.raises(ValueError, match="charge"):
        update_rows([other, order], ["charge"])
    assert list(Order.objects.order_by("pk").values_list("charge", flat=True)) == [
        Decimal("1.5"),
        Decimal("2.5"),
    ]


@pytest.mark.parametrize("count", [2**63, -(2**63) - 1])
def test_a_count_the_column_cannot_hold_is_refused(count):
    order = make_order()
    order.remains = count
    with pytest.raises(ValueError, match="remains"):
        update_rows([order], ["remains"])


def insert_service(rate: Decimal) -> None:
    now = timezone.now()
    row = {
        "provider_id": make_provider().pk,
        "upstream_id": 1,
        "name": "Followers",
        "type": "Default",
        "category": "",
        "rate": rate,
        "min_quantity": 10,
        "max_quantity": 100,
        "refill": False,
        "cancel": False,
        "dripfeed": False,
        "description": "",
        "raw": {},
        "first_seen_at": now,
        "last_seen_at": now,
        "enabled": True,
        "markup_kind": "",
    }
    insert_rows(Service, list(row), [list(row.values())])


def test_an_inserted_rate_is_written_at_the_columns_places_rounded_half_up():
    insert_service(Decimal("0.000000005"))
    assert Service.objects.get().rate == Decimal("0.00000001")


def test_an_inserted_rate_the_column_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="rate"):
        insert_service(Decimal("1e20"))
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "model, name",
    [(Order, "charge"), (Service, "rate"), (ServiceChange, "new_rate"), (Provider, "balance")],
)
def test_every_column_upstream_money_goes_to_holds_what_it_is_read_as(model, name):
    field = model._meta.get_field(name)
    assert field.decimal_places == MONEY_PLACES
    # A whole digit to spare: SQLite keeps 15 significant digits of the 16 the column has.
    assert 10 ** (field.max_digits - field.decimal_places - 1) == MONEY_LIMIT
