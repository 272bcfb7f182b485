"""One customer's page: the balance, their latest orders, their account newest first."""

from decimal import Decimal

import pytest

from customers.models import AccountEntry, EntryKind
from customers.services.account import account_post, balance_correct, funds_add
from tests.customers.accounts import make_customer
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db


def test_the_header_balance_is_the_sum_of_the_ledger_rows_shown(client_as, viewer, admin_user):
    customer = make_customer("50", name="Acme")
    funds_add(customer=customer, amount=Decimal("25.25"), reason="wire 991", actor=admin_user)
    balance_correct(customer=customer, amount=Decimal("-0.25"), reason="fee", actor=admin_user)
    page = client_as(viewer).get(f"/customers/{customer.pk}/?tab=account").content.decode()
    assert '<span class="value" data-testid="balance">75.00 USD</span>' in page
    amounts = AccountEntry.objects.filter(customer=customer).values_list("amount", flat=True)
    assert sum(amounts) == Decimal(75)
    for seq, text in ((1, "+50.00"), (2, "+25.25"), (3, "-0.25")):
        assert f'data-seq="{seq}"' in page
        assert text in page


def test_the_ledger_lists_newest_first_with_kind_order_memo_and_actor(client_as, admin_user):
    customer = make_customer("20")
    order = make_order(make_service(), customer=customer)
    account_post(customer.pk, EntryKind.CHARGE, Decimal("-3.5"), order_id=order.pk, memo="charge")
    funds_add(customer=customer, amount=Decimal(1), reason="bonus", actor=admin_user)
    page = client_as(admin_user).get(f"/customers/{customer.pk}/?tab=account").content.decode()
    rows = [page.index(f'data-seq="{n}"') for n in (3, 2, 1)]
    assert rows == sorted(rows)
    charge = page[rows[1] : rows[2]]
    assert "Order charge" in charge and "-3.50" in charge and "16.50 USD" in charge
    assert f'<a href="/orders/{order.pk}/">#{order.pk}</a>' in charge
    assert "bonus" in page[rows[0] : rows[1]] and "admin" in page[rows[0] : rows[1]]


def test_the_ledger_pages_fifty_rows_at_a_time(client_as, viewer):
    customer = make_customer()
    for _ in range(55):
        account_post(customer.pk, EntryKind.FUNDS, Decimal(1))
    client = client_as(viewer)
    first = client.get(f"/customers/{customer.pk}/?tab=account").content.decode()
    assert 'data-seq="55"' in first and 'data-seq="6"' in first and 'data-seq="5"' not in first
    after = first.split('rel="next" href="?tab=account&amp;after=')[1].split('"')[0]
    older = client.get(f"/customers/{customer.pk}/?tab=account&after={after}").content.decode()
    assert 'data-seq="5"' in older and 'data-seq="1"' in older and 'data-seq="6"' not in older


def test_the_orders_tab_shows_their_latest_and_links_the_filtered_list(client_as, viewer):
    customer = make_customer()
    mine = make_order(make_service(name="TikTok Views"), customer=customer)
    other = make_order(make_service(name="Not theirs"))
    page = client_as(viewer).get(f"/customers/{customer.pk}/").content.decode()
    assert f'href="/orders/{mine.pk}/"' in page and "TikTok Views" in page
    assert f'href="/orders/{other.pk}/"' not in page
    assert f'href="/orders/?customer={customer.pk}"' in page


def test_a_viewer_sees_no_money_forms_and_an_admin_sees_both(client_as, viewer, admin_user):
    customer = make_customer()
    seen = client_as(viewer).get(f"/customers/{customer.pk}/").content.decode()
    assert "Add funds" not in seen and "Correct the balance" not in seen and "Edit" not in seen
    admin = client_as(admin_user).get(f"/customers/{customer.pk}/").content.decode()
    assert "Add funds" in admin and "Correct the balance" in admin


def test_an_unknown_customer_is_not_found(client_as, viewer):
    assert client_as(viewer).get("/customers/999/").status_code == 404
