"""The customers list: balances that add up to their entries, this month's spend, active
orders, search, pages, and who may see and add."""

from datetime import timedelta
from decimal import Decimal

import pytest

from customers.models import AccountEntry, Customer, EntryKind
from customers.selectors.dashboard import month_start
from customers.services.account import account_post, balance_correct
from orders.models import LocalState, Status
from tests.customers.accounts import make_customer
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


def row_of(page: str, customer: Customer) -> str:
    start = page.index(f'data-customer="{customer.pk}"')
    return page[start : page.index("</tr>", start)]


def test_each_balance_shown_is_the_sum_of_the_customers_entries(client_as, viewer):
    acme = make_customer("100", name="Acme")
    make_customer("0", name="Nobody yet")
    balance_correct(customer=acme, amount=Decimal("-12.345"), reason="typo", actor=None)
    account_post(acme.pk, EntryKind.FUNDS, Decimal("0.5"))
    page = client_as(viewer).get("/customers/").content.decode()
    total = sum(AccountEntry.objects.filter(customer=acme).values_list("amount", flat=True))
    assert total == Decimal("88.155")
    assert '<td class="num c-balance">88.155 USD</td>' in row_of(page, acme)
    assert '<td class="num c-balance">0.00 USD</td>' in page


def test_spend_this_month_is_charges_less_refunds_since_the_first(client_as, viewer):
    customer = make_customer("100")
    service = make_service()
    order, older, refunded = (make_order(service, customer=customer) for _ in range(3))
    account_post(customer.pk, EntryKind.CHARGE, Decimal("-10"), order_id=order.pk)
    account_post(customer.pk, EntryKind.CHARGE, Decimal("-4"), order_id=refunded.pk)
    account_post(customer.pk, EntryKind.REFUND, Decimal("1.5"), order_id=refunded.pk)
    last_month = month_start() - timedelta(hours=1)
    account_post(customer.pk, EntryKind.CHARGE, Decimal("-30"), order_id=older.pk, at=last_month)
    page = client_as(viewer).get("/customers/").content.decode()
    assert '<td class="num hide-sm c-spend">12.50 USD</td>' in row_of(page, customer)


def test_active_orders_count_those_waiting_or_placed_and_not_finished(client_as, viewer):
    customer = make_customer()
    service = make_service()
    make_order(service, customer=customer, state=LocalState.QUEUED, upstream_id=None)
    make_order(service, customer=customer, status=Status.IN_PROGRESS)
    make_order(service, customer=customer, status=Status.COMPLETED)
    make_order(service, customer=customer, state=LocalState.REJECTED, upstream_id=None)
    make_order(service, status=Status.IN_PROGRESS)  # a staff order: nobody's
    page = client_as(viewer).get("/customers/").content.decode()
    assert f'<a href="/orders/?customer={customer.pk}">2</a>' in row_of(page, customer)


def test_search_finds_customers_by_part_of_their_name(client_as, viewer):
    make_customer(name="Acme Boosts")
    make_customer(name="Zed Media")
    page = client_as(viewer).get("/customers/?q=boost").content.decode()
    assert "Acme Boosts" in page
    assert "Zed Media" not in page
    empty = client_as(viewer).get("/customers/?q=nothing").content.decode()
    assert "No customer’s name contains “nothing”." in empty


def test_pages_hold_fifty_customers_by_name_and_link_to_the_next(client_as, viewer):
    Customer.objects.bulk_create(Customer(name=f"Customer {n:03}") for n in range(55))
    client = client_as(viewer)
    first = client.get("/customers/").content.decode()
    assert "Customer 049" in first and "Customer 050" not in first
    after = first.split('rel="next" href="?after=')[1].split('"')[0]
    second = client.get(f"/customers/?after={after}").content.decode()
    assert "Customer 050" in second and "Customer 054" in second
    assert "Customer 049" not in second
    assert 'rel="next"' not in second


def test_a_viewer_sees_the_list_without_the_add_button(client_as, viewer, admin_user):
    make_customer(name="Acme")
    assert "Add customer" not in client_as(viewer).get("/customers/").content.decode()
    assert "Add customer" in client_as(admin_user).get("/customers/").content.decode()


def test_only_staff_see_the_list(client, django_user_model):
    assert client.get("/customers/")["Location"].startswith("/login/")
    outsider = django_user_model.objects.create_user(username="bob", password="x-123456789")
    client.force_login(outsider)
    assert client.get("/customers/").status_code == 403


def test_the_nav_links_customers_and_our_services_for_a_viewer(client_as, viewer):
    page = client_as(viewer).get("/customers/").content.decode()
    assert '<a href="/customers/" aria-current="page">Customers</a>' in page
    assert '<a href="/customers/services/">Our services</a>' in page


def test_an_inactive_customer_is_labelled(client_as, viewer):
    customer = make_customer(name="Gone quiet", active=False)
    page = client_as(viewer).get("/customers/").content.decode()
    assert '<span class="badge">inactive</span>' in row_of(page, customer)
