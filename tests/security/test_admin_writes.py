"""The Django admin never writes around the engine: what the engine writes is read-only
there, and providers and services are saved through the same services as the staff pages."""

import pytest
from django.contrib.auth import get_user_model

from orders.models import AuditEntry, LocalState, Order, Provider
from tests.factories import make_order, make_provider, make_service
from tests.money.booked import booked_order

pytestmark = pytest.mark.django_db

ENGINE_TABLES = ["order", "refill", "cancelrequest", "apicall", "jobrun", "ledgerentry"]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "root-pw-123456")


@pytest.fixture
def order():
    return make_order(make_service(), state=LocalState.QUEUED, upstream_id=None)


@pytest.mark.parametrize("table", ENGINE_TABLES)
def test_not_even_a_superuser_adds_engine_rows_in_the_admin(client_as, superuser, table):
    client = client_as(superuser)
    assert client.get(f"/admin/orders/{table}/add/").status_code == 403
    assert client.post(f"/admin/orders/{table}/add/", {}).status_code == 403


def test_an_order_without_parameters_below_the_minimum_cannot_be_saved_from_the_admin(
    client_as, superuser
):
    service = make_service(min_quantity=100)
    before = Order.objects.count()
    response = client_as(superuser).post(
        "/admin/orders/order/add/",
        {
            "provider": service.provider_id,
            "service": service.pk,
            "order_type": "Default",
            "quantity": 1,
            "params": "{}",
            "state": "queued",
        },
    )
    assert response.status_code == 403
    assert Order.objects.count() == before


def test_an_order_is_shown_but_cannot_be_changed_or_deleted(client_as, superuser, order):
    client = client_as(superuser)
    page = client.get(f"/admin/orders/order/{order.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client.post(f"/admin/orders/order/{order.pk}/change/", {"link": "https://evil.example/"})
    assert (
        client.post(f"/admin/orders/order/{order.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    order.refresh_from_db()
    assert order.link != "https://evil.example/"


def test_a_ledger_row_is_shown_but_cannot_be_changed_or_deleted(client_as, superuser):
    entry = booked_order().ledger.first()
    client = client_as(superuser)
    assert client.get("/admin/orders/ledgerentry/").status_code == 200
    page = client.get(f"/admin/orders/ledgerentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    client.post(f"/admin/orders/ledgerentry/{entry.pk}/change/", {"amount": "999"})
    deleting = client.post(f"/admin/orders/ledgerentry/{entry.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
    entry.refresh_from_db()
    assert entry.amount != 999


def test_a_provider_added_in_the_admin_goes_through_the_page_form_and_is_audited(
    client_as, admin_user
):
    client = client_as(admin_user)
    fields = {
        "name": "Via admin",
        "api_url": "https://panel.example/api/v2",
        "new_api_key": "admin-key-0123456789",
        "currency": "USD",
        "low_balance_threshold": "10",
        "drift_tolerance": "1",
        "rate_limit_per_minute": "60",
        "connect_timeout": "5",
        "read_timeout": "30",
        "call_deadline": "60",
        "default_markup_kind": "percent",
        "default_markup_value": "20",
        "is_active": "on",
    }
    wrong = client.post(
        "/admin/orders/provider/add/", {**fields, "api_url": "ftp://panel.example/api/v2"}
    )
    assert "Use an http:// or https:// address." in wrong.content.decode()
    client.post("/admin/orders/provider/add/", fields)
    provider = Provider.objects.get(name="Via admin")
    assert provider.api_key == "admin-key-0123456789"
    assert "admin-key" not in provider.api_key_encrypted
    entry = AuditEntry.objects.get(action="provider added")
    assert (entry.actor, entry.details["key"]) == (admin_user, "replaced")


def test_a_provider_edited_in_the_admin_keeps_its_key_when_left_blank_and_is_audited(
    client_as, admin_user
):
    provider = make_provider(name="Old", api_key="kept-key-0123456789")
    client_as(admin_user).post(
        f"/admin/orders/provider/{provider.pk}/change/",
        {
            "name": "Renamed",
            "api_url": provider.api_url,
            "new_api_key": "",
            "currency": "USD",
            "low_balance_threshold": "0",
            "drift_tolerance": "1",
            "rate_limit_per_minute": "60",
            "connect_timeout": "5",
            "read_timeout": "30",
            "call_deadline": "60",
            "default_markup_kind": "percent",
            "default_markup_value": "0",
        },
    )
    provider.refresh_from_db()
    assert (provider.name, provider.api_key) == ("Renamed", "kept-key-0123456789")
    entry = AuditEntry.objects.get(action="provider changed")
    assert "name" in entry.details["changed"] and entry.details["key"] == "kept"


def test_a_service_markup_edited_in_the_admin_is_checked_and_audited(client_as, admin_user):
    service = make_service()
    client = client_as(admin_user)
    url = f"/admin/orders/service/{service.pk}/change/"
    wrong = client.post(url, {"enabled": "on", "markup_kind": "percent", "markup_value": "-5"})
    assert "A markup cannot be negative." in wrong.content.decode()
    client.post(url, {"markup_kind": "percent", "markup_value": "25"})
    service.refresh_from_db()
    assert (service.enabled, service.markup_kind, str(service.markup_value)) == (
        False,
        "percent",
        "25.00000000",
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"markup set", "service disabled"}


def test_services_come_only_from_a_sync(client_as, superuser):
    service = make_service()
    client = client_as(superuser)
    assert client.get("/admin/orders/service/add/").status_code == 403
    assert (
        client.post(f"/admin/orders/service/{service.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
