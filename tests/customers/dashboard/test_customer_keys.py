"""API keys on the customer's page: issued and shown once, listed by prefix, revoked with a
confirm; the digest never reaches a page."""

import re

import pytest

from customers.models import ApiKey
from customers.selectors.keys import key_lookup
from customers.services.keys import key_issue
from tests.customers.accounts import make_customer

pytestmark = pytest.mark.django_db


def issue(client, customer, label="shop backend"):
    return client.post(f"/customers/{customer.pk}/keys/", {"label": label}, follow=True)


def test_a_new_key_is_shown_once_on_the_next_page_and_works(client_as, admin_user):
    customer = make_customer()
    client = client_as(admin_user)
    response = issue(client, customer)
    key = ApiKey.objects.get()
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/keys/{key.pk}/new/"
    page = response.content.decode()
    raw = re.search(r'id="raw-key" class="mono" type="text" value="([^"]+)"', page)[1]
    assert key_lookup(raw) == key
    assert "Copy this key now: it is shown this once." in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]

    again = client.get(f"/customers/{customer.pk}/keys/{key.pk}/new/").content.decode()
    assert raw not in again
    assert "This key was shown once and cannot be shown again." in again


def test_the_digest_is_never_in_a_page(client_as, admin_user):
    customer = make_customer()
    client = client_as(admin_user)
    issue(client, customer)
    key = ApiKey.objects.get()
    pages = [
        client.get(f"/customers/{customer.pk}/?tab=keys"),
        client.get(f"/customers/{customer.pk}/keys/{key.pk}/new/"),
        client.get(f"/admin/customers/apikey/{key.pk}/change/"),
        client.get("/admin/customers/apikey/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert key.digest not in response.content.decode()
    assert f"{key.prefix}…" in pages[3].content.decode()


def test_the_keys_tab_lists_prefix_label_use_and_state(client_as, viewer):
    customer = make_customer()
    live, _ = key_issue(customer=customer, label="shop")
    gone, _ = key_issue(customer=customer, label="old")
    ApiKey.objects.filter(pk=gone.pk).update(revoked_at=gone.created_at)
    page = client_as(viewer).get(f"/customers/{customer.pk}/?tab=keys").content.decode()
    assert f"{live.prefix}…" in page and f"{gone.prefix}…" in page
    assert page.count('<span class="badge ok">live</span>') == 1
    assert page.count(">revoked</span>") == 1
    assert "never" in page
    assert "Revoke" not in page and "Issue a key" not in page  # a viewer only looks


def test_revoking_asks_first_and_refuses_the_key_afterwards(client_as, admin_user):
    customer = make_customer()
    key, raw = key_issue(customer=customer)
    client = client_as(admin_user)
    page = client.get(f"/customers/{customer.pk}/?tab=keys").content.decode()
    assert f'data-confirm="Revoke key {key.prefix}…? Requests with it are refused' in page
    response = client.post(f"/customers/{customer.pk}/keys/{key.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == f"/customers/{customer.pk}/?tab=keys"
    assert f"Key {key.prefix}… revoked: it is refused from now on." in response.content.decode()
    assert key_lookup(raw) is None
    again = client.post(f"/customers/{customer.pk}/keys/{key.pk}/revoke/", follow=True)
    assert f"Key {key.prefix}… was already revoked." in again.content.decode()


def test_a_key_belongs_to_its_customer_only(client_as, admin_user):
    mine, other = make_customer(name="Mine"), make_customer(name="Other")
    key, raw = key_issue(customer=other)
    response = client_as(admin_user).post(f"/customers/{mine.pk}/keys/{key.pk}/revoke/")
    assert response.status_code == 404
    assert key_lookup(raw) == key


def test_viewers_and_operators_may_not_issue_or_revoke(client_as, viewer, operator):
    customer = make_customer()
    key, raw = key_issue(customer=customer)
    for user in (viewer, operator):
        client = client_as(user)
        assert client.post(f"/customers/{customer.pk}/keys/", {"label": "x"}).status_code == 403
        assert client.post(f"/customers/{customer.pk}/keys/{key.pk}/revoke/").status_code == 403
    assert ApiKey.objects.count() == 1 and key_lookup(raw) == key


def test_a_too_long_label_is_named(client_as, admin_user):
    customer = make_customer()
    response = client_as(admin_user).post(f"/customers/{customer.pk}/keys/", {"label": "x" * 101})
    assert "Ensure this value has at most 100 characters" in response.content.decode()
    assert not ApiKey.objects.exists()
