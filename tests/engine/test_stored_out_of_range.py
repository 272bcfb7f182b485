"""Amounts stored out of range before the checks: cleared with a note, pages render again."""

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from orders.models import EventKind, Provider, Service
from tests.engine.numbers import assert_pages_render
from tests.factories import make_order

pytestmark = pytest.mark.django_db
migration = importlib.import_module("orders.migrations.0006_out_of_range_amounts")

# SQL literals as the earlier code stored them: SQLite kept 1e309 as REAL infinity.
ON_EVERY_DATABASE = ["5e15", "-2e15"]
SQLITE_ONLY = ["9e999", "-9e999", "1e20", "12345678901234567"]
STORED = ON_EVERY_DATABASE + (SQLITE_ONLY if connection.vendor == "sqlite" else [])


def store(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def clear() -> None:
    migration.clear_out_of_range_amounts(apps, SimpleNamespace(connection=connection))


@pytest.mark.parametrize("literal", STORED)
def test_an_out_of_range_charge_stored_before_is_cleared_with_a_note(superuser_client, literal):
    order = make_order(charge=Decimal("1.5"))
    kept = make_order(order.service, charge=Decimal("2.5"))
    store(f"UPDATE orders_order SET charge = {literal} WHERE id = %s", order.pk)
    clear()
    order.refresh_from_db()
    kept.refresh_from_db()
    assert (order.charge, kept.charge) == (None, Decimal("2.5"))
    note = order.events.get(kind=EventKind.ANOMALY)
    assert "charge" in note.message and note.data["charge"]
    assert_pages_render(superuser_client, order=order, service=order.service)


@pytest.mark.parametrize("literal", STORED)
def test_an_out_of_range_rate_stored_before_keeps_the_service_out_of_new_orders(
    superuser_client, literal
):
    order = make_order()
    store(f"UPDATE orders_service SET rate = {literal} WHERE id = %s", order.service_id)
    clear()
    service = Service.objects.get(pk=order.service_id)
    assert service.rate == 0 and service.removed_at is not None
    assert_pages_render(superuser_client, order=order, service=service)


@pytest.mark.parametrize("literal", STORED)
def test_an_out_of_range_balance_stored_before_is_cleared_and_said(superuser_client, literal):
    order = make_order()
    store(f"UPDATE orders_provider SET balance = {literal} WHERE id = %s", order.provider_id)
    clear()
    provider = Provider.objects.get(pk=order.provider_id)
    assert provider.balance is None and "balance" in provider.last_error
    assert_pages_render(superuser_client, order=order)
