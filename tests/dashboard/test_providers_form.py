"""Adding and editing providers: admins only, every field checked, the key write-only."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import AuditEntry, Provider
from orders.services.provider_admin import provider_save
from tests.factories import make_provider

pytestmark = pytest.mark.django_db

KEY = "sk-live-7c1f4a9e2b8d6f03a5c7e9b1d3f5a7c9"


def form_data(**overrides):
    data = {
        "name": "Fast panel",
        "api_url": "https://fast.example/api/v2",
        "new_api_key": KEY,
        "currency": "USD",
        "low_balance_threshold": "25",
        "drift_tolerance": "1.50",
        "rate_limit_per_minute": "120",
        "connect_timeout": "5",
        "read_timeout": "30",
        "call_deadline": "60",
        "default_markup_kind": "percent",
        "default_markup_value": "35",
        "is_active": "on",
    }
    return data | overrides


def test_an_admin_adds_a_provider_and_lands_on_its_edit_page(client_as, admin_user):
    response = client_as(admin_user).post("/providers/new/", form_data(), follow=True)
    provider = Provider.objects.get(name="Fast panel")
    assert response.redirect_chain[-1][0] == f"/providers/{provider.pk}/edit/"
    assert provider.api_key == KEY
    assert provider.api_key_hint == "sk••••••••a7c9"
    assert (provider.rate_limit_per_minute, provider.default_markup_value) == (120, Decimal(35))
    assert "Provider saved. Test its connection now." in response.content.decode()


def test_a_new_provider_needs_its_key(client_as, admin_user):
    response = client_as(admin_user).post("/providers/new/", form_data(new_api_key=""))
    assert response.content.decode().count("A new provider needs its API key.") == 1
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("api_url", "ftp://fast.example/api", "Use an http:// or https:// address."),
        ("api_url", "not a url", "Enter a valid URL."),
        ("rate_limit_per_minute", "0", "Between 1 and 100000."),
        ("connect_timeout", "0", "Between 0.5 and 60."),
        ("read_timeout", "900", "Between 1 and 300."),
        ("call_deadline", "1", "Between 5 and 600."),
        ("low_balance_threshold", "-5", "The threshold cannot be negative."),
        ("drift_tolerance", "-1", "Between 0 and 1000000."),
        ("drift_tolerance", "", "This field is required."),
        ("default_markup_value", "-1", "A markup cannot be negative."),
        ("default_markup_value", "5000", "At most 1000 for this kind of markup."),
        ("default_markup_kind", "triple", "Select a valid choice."),
    ],
)
def test_each_wrong_field_is_named_beside_it(client_as, admin_user, field, value, message):
    response = client_as(admin_user).post("/providers/new/", form_data(**{field: value}))
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in html
    assert "Please fix the fields marked below." in html
    assert not Provider.objects.exists()


def test_a_second_provider_with_the_same_name_is_refused(client_as, admin_user):
    make_provider(name="Fast panel")
    html = client_as(admin_user).post("/providers/new/", form_data()).content.decode()
    assert "Provider with this Name already exists." in html


def test_leaving_the_key_blank_keeps_the_stored_one(client_as, admin_user):
    provider = make_provider(api_key=KEY)
    client_as(admin_user).post(
        f"/providers/{provider.pk}/edit/", form_data(new_api_key="", name="Renamed")
    )
    provider.refresh_from_db()
    assert provider.name == "Renamed" and provider.api_key == KEY


def test_typing_a_new_key_replaces_it_and_clears_the_old_keys_pause(client_as, admin_user):
    provider = make_provider(
        api_key="old-key-000000000000",
        consecutive_failures=5,
        paused_until=timezone.now() + timedelta(minutes=10),
    )
    client_as(admin_user).post(f"/providers/{provider.pk}/edit/", form_data())
    provider.refresh_from_db()
    assert provider.api_key == KEY
    assert (provider.consecutive_failures, provider.paused_until) == (0, None)


def test_a_blank_currency_keeps_the_one_the_balance_answer_gave(client_as, admin_user):
    provider = make_provider(currency="EUR")
    client_as(admin_user).post(f"/providers/{provider.pk}/edit/", form_data(currency=""))
    provider.refresh_from_db()
    assert provider.currency == "EUR"


def test_the_key_never_appears_on_the_edit_page_even_after_a_refused_form(
    client_as, admin_user, caplog
):
    provider = make_provider(api_key=KEY)
    client = client_as(admin_user)
    caplog.set_level(logging.DEBUG)
    pages = [
        client.get(f"/providers/{provider.pk}/edit/"),
        client.post(f"/providers/{provider.pk}/edit/", form_data(name="")),
        client.post(f"/providers/{provider.pk}/edit/", form_data(), follow=True),
        client.post("/providers/new/", form_data(name="", new_api_key=KEY)),
    ]
    for response in pages:
        html = response.content.decode()
        assert KEY not in html
        assert KEY[8:-4] not in html  # not even a long piece of it
    assert "Stored key: sk••••••••a7c9." in pages[0].content.decode()
    assert 'type="password"' in pages[0].content.decode()
    assert KEY not in caplog.text


def test_numbers_show_as_typed_not_with_eight_decimals(client_as, admin_user):
    provider = make_provider(low_balance_threshold=Decimal("10"))
    html = client_as(admin_user).get(f"/providers/{provider.pk}/edit/").content.decode()
    assert 'name="low_balance_threshold" value="10"' in html


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_add_or_edit_providers(client_as, request, role):
    provider = make_provider()
    client = client_as(request.getfixturevalue(role))
    assert client.get("/providers/new/").status_code == 403
    assert client.post("/providers/new/", form_data()).status_code == 403
    assert client.get(f"/providers/{provider.pk}/edit/").status_code == 403
    assert client.post(f"/providers/{provider.pk}/edit/", form_data()).status_code == 403
    assert Provider.objects.count() == 1


def test_an_unknown_provider_is_not_found(client_as, admin_user):
    assert client_as(admin_user).get("/providers/4242/edit/").status_code == 404


def test_an_edit_never_overwrites_what_the_engine_wrote_meanwhile():
    provider = make_provider(balance=Decimal(1))
    loaded_by_the_form = Provider.objects.get(pk=provider.pk)
    Provider.objects.filter(pk=provider.pk).update(balance=Decimal(99), consecutive_failures=2)
    loaded_by_the_form.name = "Renamed"
    provider_save(provider=loaded_by_the_form)
    provider.refresh_from_db()
    assert (provider.name, provider.balance, provider.consecutive_failures) == (
        "Renamed",
        Decimal(99),
        2,
    )


def test_adding_and_editing_are_audited_by_field_name_never_with_the_key(client_as, admin_user):
    client = client_as(admin_user)
    client.post("/providers/new/", form_data())
    provider = Provider.objects.get()
    client.post(f"/providers/{provider.pk}/edit/", form_data(new_api_key="", read_timeout="45"))
    client.post(f"/providers/{provider.pk}/edit/", form_data(new_api_key=KEY + "x"))
    entries = list(AuditEntry.objects.order_by("pk"))
    assert [e.action for e in entries] == ["provider added", "provider changed", "provider changed"]
    assert entries[1].details == {"changed": "read_timeout", "key": "kept"}
    assert entries[2].details == {"changed": "read_timeout", "key": "replaced"}
    assert all(KEY not in str(e.details) for e in entries)


def test_the_drift_tolerance_is_edited_on_the_form(client_as, admin_user):
    client_as(admin_user).post("/providers/new/", form_data(drift_tolerance="2.50"))
    assert Provider.objects.get().drift_tolerance == Decimal("2.50")
