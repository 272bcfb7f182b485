"""Money as text (orders.money): one format on every page, grouped as the reader's language
groups numbers, two decimals or as many as the amount has, "–" for no amount."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from orders.money import money_text
from tests.factories import make_order, make_provider, make_service


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0.9", "0.90"),
        ("0.018", "0.018"),
        ("1234.5", "1,234.50"),
        ("100", "100.00"),
        ("1E+1", "10.00"),
        ("13.00000000", "13.00"),
        ("0.00001", "0.00001"),
        ("-1234567.891", "-1,234,567.891"),
    ],
)
def test_money_reads_with_two_decimals_or_as_many_as_the_amount_has(amount, text):
    assert money_text(Decimal(amount)) == text


def test_money_is_grouped_as_the_readers_language_groups_numbers():
    with translation.override("de"):
        assert money_text(Decimal("1234.5"), "EUR") == "1.234,50 EUR"


def test_no_amount_reads_as_a_dash_with_or_without_a_currency():
    assert money_text(None) == money_text(None, "USD") == "–"


def test_the_template_filter_says_the_same():
    template = Template("{% load money %}{{ a|money:'USD' }} · {{ b|money }}")
    assert template.render(Context({"a": Decimal("1234.5"), "b": None})) == "1,234.50 USD · –"


@pytest.mark.django_db
def test_an_amount_reads_the_same_on_the_order_page_the_list_and_the_estimate(client_as, operator):
    service = make_service(make_provider(currency="USD"), rate=Decimal("1234.5"))
    order = make_order(service, charge=Decimal("1234.5"), currency="USD")
    client = client_as(operator)
    estimate = {"service": service.pk, "link": "x.com", "quantity": "1000"}
    pages = {
        "order": client.get(f"/orders/{order.pk}/"),
        "list": client.get("/orders/"),
        "estimate": client.post("/orders/new/estimate/", estimate),
    }
    shown = {name: "1,234.50 USD" in page.content.decode() for name, page in pages.items()}
    assert shown == {"order": True, "list": True, "estimate": True}
