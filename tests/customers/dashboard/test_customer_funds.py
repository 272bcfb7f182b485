"""Adding funds and correcting a balance: exact decimal text, a reason, the new balance said,
a correction that would go below zero refused, and only the fund permission may."""

from decimal import Decimal

import pytest
from django.test import Client

from customers.models import AccountEntry, EntryKind
from customers.selectors.account import customer_balance
from orders.models import AuditEntry
from tests.customers.accounts import make_customer

pytestmark = pytest.mark.django_db


def funds(client, customer, amount: str, reason: str = "wire 42", follow=False):
    data = {"funds-amount": amount, "funds-reason": reason}
    return client.post(f"/customers/{customer.pk}/funds/", data, follow=follow)


def test_adding_funds_says_the_new_balance(client_as, admin_user):
    customer = make_customer("10")
    response = funds(client_as(admin_user), customer, " 25.50 ", follow=True)
    page = response.content.decode()
    assert "Added 25.50 USD. The balance is now 35.50 USD." in page
    assert '<span class="value" data-testid="balance">35.50 USD</span>' in page
    entry = AccountEntry.objects.filter(customer=customer).latest("seq")
    assert (entry.kind, entry.amount, entry.memo, entry.actor) == (
        EntryKind.FUNDS,
        Decimal("25.50"),
        "wire 42",
        admin_user,
    )
    assert AuditEntry.objects.filter(action="funds added", actor=admin_user).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e5", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("NaN", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("Infinity", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("1,50", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("0x10", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("12.", "Enter an amount as digits with an optional point, e.g. 25.50."),
        ("0.123456789", "At most 8 decimal places."),
        ("1000000000000000", "That amount is too large."),
        ("-5", "Enter an amount above zero."),
        ("0", "Enter an amount above zero."),
        ("", "This field is required."),
    ],
)
def test_an_amount_that_is_not_plain_decimal_text_is_refused(
    client_as, admin_user, amount, message
):
    customer = make_customer("10")
    response = funds(client_as(admin_user), customer, amount)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert customer_balance(customer.pk) == Decimal(10)


def test_eight_decimals_are_kept_exactly(client_as, admin_user):
    customer = make_customer()
    funds(client_as(admin_user), customer, "0.12345678")
    assert customer_balance(customer.pk) == Decimal("0.12345678")


def test_the_reason_is_required(client_as, admin_user):
    customer = make_customer()
    response = funds(client_as(admin_user), customer, "5", reason="   ")
    assert "Say why: the reason is kept with the entry." in response.content.decode()
    assert not AccountEntry.objects.exists()


def test_a_negative_correction_takes_money_off(client_as, admin_user):
    customer = make_customer("10")
    data = {"correct-amount": "-2.5", "correct-reason": "double credit"}
    client = client_as(admin_user)
    response = client.post(f"/customers/{customer.pk}/correct/", data, follow=True)
    assert "Corrected by -2.50 USD. The balance is now 7.50 USD." in response.content.decode()
    assert AccountEntry.objects.latest("seq").kind == EntryKind.CORRECTION


def test_a_correction_below_zero_is_refused_with_the_balance(client_as, admin_user):
    customer = make_customer("10")
    data = {"correct-amount": "-10.01", "correct-reason": "too much"}
    response = client_as(admin_user).post(f"/customers/{customer.pk}/correct/", data)
    page = response.content.decode()
    assert "The balance is 10.00000000 USD: a correction may not take it below zero." in page
    assert 'value="-10.01"' in page  # what was typed stays, to fix
    assert customer_balance(customer.pk) == Decimal(10)


def test_operators_and_viewers_may_not_move_money(client_as, operator, viewer):
    customer = make_customer("10")
    for user in (operator, viewer):
        assert funds(client_as(user), customer, "5").status_code == 403
        data = {"correct-amount": "-5", "correct-reason": "x"}
        response = client_as(user).post(f"/customers/{customer.pk}/correct/", data)
        assert response.status_code == 403
    assert customer_balance(customer.pk) == Decimal(10)


def test_a_post_without_the_csrf_token_is_refused(admin_user):
    customer = make_customer("10")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert funds(client, customer, "5").status_code == 403
    assert customer_balance(customer.pk) == Decimal(10)


def test_a_get_moves_no_money(client_as, admin_user):
    customer = make_customer()
    response = client_as(admin_user).get(f"/customers/{customer.pk}/funds/?funds-amount=5")
    assert response.status_code == 405
    assert not AccountEntry.objects.exists()
