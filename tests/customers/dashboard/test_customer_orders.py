"""Customers in the orders pages: the list filtered by customer and naming them on a row,
the order page naming them, and the new-order form placing an order for one."""

import re
from decimal import Decimal

import pytest

from customers.models import AccountEntry, EntryKind
from customers.selectors.account import customer_balance
from orders.models import LocalState, Order
from tests.customers.accounts import make_customer, make_group, make_offer
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/new/"


def test_the_orders_list_filters_by_customer_and_names_them(client_as, viewer):
    customer = make_customer(name="Acme Boosts")
    service = make_service()
    theirs = make_order(service, customer=customer)
    ours = make_order(service)
    page = client_as(viewer).get(f"/orders/?customer={customer.pk}").content.decode()
    assert f'id="order-{theirs.pk}"' in page and f'id="order-{ours.pk}"' not in page
    assert f'Orders for customer <a href="/customers/{customer.pk}/">Acme Boosts</a>' in page
    assert '<span class="customer-name">for Acme Boosts</span>' in page
    everyone = client_as(viewer).get("/orders/").content.decode()
    assert f'id="order-{ours.pk}"' in everyone and everyone.count("customer-name") == 1


def test_an_unknown_or_garbled_customer_id_is_said_not_a_crash(client_as, viewer):
    make_order(make_service())
    unknown = client_as(viewer).get("/orders/?customer=424242")
    assert unknown.status_code == 200
    assert "No customer has id 424242." in unknown.content.decode()
    garbled = client_as(viewer).get("/orders/?customer=abc").content.decode()
    assert "No customer has id abc." in garbled


def test_the_order_page_names_its_customer(client_as, viewer):
    customer = make_customer(name="Acme Boosts")
    order = make_order(make_service(), customer=customer)
    page = client_as(viewer).get(f"/orders/{order.pk}/").content.decode()
    assert f'For customer <a href="/customers/{customer.pk}/">Acme Boosts</a>' in page


# ---- The new-order form ----


@pytest.fixture
def service():
    provider = make_provider(currency="USD")
    return make_service(provider, type="Default", rate=Decimal("1.00"), min_quantity=10)


@pytest.fixture
def operator_client(client_as, operator):
    return client_as(operator)


def form_for(client, service, **fields) -> dict:
    page = client.get(f"{URL}?service={service.pk}").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    return {"service": service.pk, "token": token, "link": "https://x.example/p/1"} | fields


def test_the_form_offers_active_customers_with_their_balances(operator_client, service):
    customer = make_customer("12.5", name="Acme")
    make_customer(name="Sleeping", active=False)
    page = operator_client.get(f"{URL}?service={service.pk}&customer={customer.pk}").content
    html = page.decode()
    assert f'<option value="{customer.pk}" selected>Acme · balance 12.50 USD</option>' in html
    assert "Sleeping" not in html
    assert 'form="order-form"' in html


def test_an_order_for_a_customer_is_charged_at_their_rate(operator_client, operator, service):
    customer = make_customer("10", price_group=make_group("-10"))
    make_offer(service, rate=Decimal("2.00"))
    data = form_for(operator_client, service, customer=customer.pk, quantity="1000")
    response = operator_client.post(URL, data)
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.pk}/"
    assert (order.customer, order.state, order.placed_by) == (customer, LocalState.QUEUED, operator)
    charge = AccountEntry.objects.get(kind=EntryKind.CHARGE)
    assert (charge.amount, charge.order) == (Decimal("-1.80"), order)
    assert customer_balance(customer.pk) == Decimal("8.20")


def test_the_estimate_shows_what_the_chosen_customer_pays(operator_client, service):
    customer = make_customer("10", price_group=make_group("-10"))
    make_offer(service, rate=Decimal("2.00"))
    form = {"service": service.pk, "link": "https://x.example/p/1", "quantity": "1000"}
    theirs = operator_client.post("/orders/new/estimate/", form | {"customer": customer.pk})
    ours = operator_client.post("/orders/new/estimate/", form).content.decode()
    assert "The customer pays" in theirs.content.decode()
    assert 'data-testid="estimate-price">1.80 USD<' in theirs.content.decode()
    assert 'data-testid="estimate-price">' + "1.30 USD<" in ours  # the catalogue's 30 % markup
    assert "The customer pays" not in ours


def test_without_a_customer_the_order_is_a_staff_order(operator_client, service):
    make_offer(service)
    operator_client.post(URL, form_for(operator_client, service, quantity="100"))
    assert Order.objects.get().customer is None
    assert not AccountEntry.objects.exists()


def test_a_customer_short_of_funds_is_told_the_balance(operator_client, service):
    customer = make_customer("1.5")
    make_offer(service, rate=Decimal("2.00"))
    data = form_for(operator_client, service, customer=customer.pk, quantity="1000")
    page = operator_client.post(URL, data).content.decode()
    assert "Not enough funds on the customer&#x27;s balance (1.50 USD)." in page
    assert not Order.objects.exists()
    assert customer_balance(customer.pk) == Decimal("1.5")


def test_a_provider_service_without_our_service_is_said_so(operator_client, service):
    customer = make_customer("100")
    make_offer(service, enabled=False)
    data = form_for(operator_client, service, customer=customer.pk, quantity="100")
    page = operator_client.post(URL, data).content.decode()
    assert "None of our services sells this provider service to customers in USD" in page
    assert not Order.objects.exists()


def test_a_customer_in_another_currency_is_said_so(operator_client, service):
    customer = make_customer("100", currency="EUR", name="Euro Co")
    make_offer(service)
    data = form_for(operator_client, service, customer=customer.pk, quantity="100")
    page = operator_client.post(URL, data).content.decode()
    assert "Euro Co pays in EUR, and this service is priced in USD" in page
    assert not Order.objects.exists()


def test_our_limits_apply_to_a_customers_order(operator_client, service):
    customer = make_customer("100")
    make_offer(service, min_quantity=500)
    data = form_for(operator_client, service, customer=customer.pk, quantity="100")
    page = operator_client.post(URL, data).content.decode()
    assert "Quantity must be between 500 and 10000" in page
    assert not Order.objects.exists() and customer_balance(customer.pk) == Decimal(100)


def test_the_same_form_sent_twice_charges_once(operator_client, service):
    customer = make_customer("10")
    make_offer(service, rate=Decimal("1.00"))
    data = form_for(operator_client, service, customer=customer.pk, quantity="1000")
    operator_client.post(URL, data)
    again = operator_client.post(URL, data, follow=True)
    assert "This form was already sent" in again.content.decode()
    assert Order.objects.count() == 1
    assert customer_balance(customer.pk) == Decimal(9)


def test_an_inactive_customer_cannot_be_chosen(operator_client, service):
    customer = make_customer("10", active=False)
    make_offer(service)
    data = form_for(operator_client, service, customer=customer.pk, quantity="100")
    page = operator_client.post(URL, data).content.decode()
    assert "That customer is gone or inactive." in page
    assert not Order.objects.exists()
