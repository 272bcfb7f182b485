"""Adding and editing a customer: admins only, each wrong field named, the currency fixed
once money has moved."""

import pytest

from customers.models import Customer
from orders.models import AuditEntry
from tests.customers.accounts import make_customer, make_group

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "name": "Acme Boosts",
        "contact": "ops@acme.example",
        "currency": "usd",
        "price_group": "",
        "rate_limit_per_minute": "120",
        "active": "on",
        "notes": "",
    }
    return data | overrides


def test_an_admin_adds_a_customer_and_lands_on_their_page(client_as, admin_user):
    group = make_group("-5", name="Resellers")
    response = client_as(admin_user).post(
        "/customers/new/", form_data(price_group=group.pk), follow=True
    )
    customer = Customer.objects.get()
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/"
    assert (customer.currency, customer.price_group, customer.active) == ("USD", group, True)
    assert "Acme Boosts added." in response.content.decode()
    assert AuditEntry.objects.filter(action="customer added", actor=admin_user).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("currency", "US1", "A currency code of 3 to 8 letters, e.g. USD."),
        ("rate_limit_per_minute", "0", "Between 1 and 100000."),
        ("rate_limit_per_minute", "lots", "Enter a whole number."),
        ("price_group", "999", "Select a valid choice."),
    ],
)
def test_each_wrong_field_is_named_beside_it(client_as, admin_user, field, value, message):
    response = client_as(admin_user).post("/customers/new/", form_data(**{field: value}))
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in html
    assert "Please fix the fields marked below." in html
    assert not Customer.objects.exists()


def test_operators_and_viewers_may_not_add_or_edit(client_as, operator, viewer):
    customer = make_customer()
    for user in (operator, viewer):
        client = client_as(user)
        assert client.get("/customers/new/").status_code == 403
        assert client.post("/customers/new/", form_data()).status_code == 403
        assert client.post(f"/customers/{customer.pk}/edit/", form_data()).status_code == 403
    assert Customer.objects.count() == 1


def test_an_edit_saves_and_is_audited(client_as, admin_user):
    customer = make_customer(name="Acme")
    data = form_data(name="Acme Ltd", active="", rate_limit_per_minute="30", notes="VIP")
    response = client_as(admin_user).post(f"/customers/{customer.pk}/edit/", data)
    assert response["Location"] == f"/customers/{customer.pk}/"
    customer.refresh_from_db()
    assert (customer.name, customer.active, customer.rate_limit_per_minute) == (
        "Acme Ltd",
        False,
        30,
    )
    entry = AuditEntry.objects.get(action="customer changed")
    assert "rate_limit_per_minute" in entry.details["fields"]


def test_the_currency_may_change_only_while_the_account_is_empty(client_as, admin_user):
    empty = make_customer(name="Empty")
    funded = make_customer("10", name="Funded")
    client = client_as(admin_user)
    client.post(f"/customers/{empty.pk}/edit/", form_data(name="Empty", currency="EUR"))
    client.post(f"/customers/{funded.pk}/edit/", form_data(name="Funded", currency="EUR"))
    empty.refresh_from_db()
    funded.refresh_from_db()
    assert (empty.currency, funded.currency) == ("EUR", "USD")
    page = client.get(f"/customers/{funded.pk}/edit/").content.decode()
    assert "Fixed: the account already has entries in this currency." in page
    currency = page[page.index('name="currency"') :]
    assert " disabled" in currency[: currency.index(">")]


def test_a_refused_edit_keeps_the_saved_name_in_the_title(client_as, admin_user):
    customer = make_customer(name="Acme")
    response = client_as(admin_user).post(f"/customers/{customer.pk}/edit/", form_data(name=""))
    assert "<title>Acme · Customers" in response.content.decode()
