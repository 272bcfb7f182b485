"""The live estimate: cost and price by the type's quantity rule, in Decimal, with a
warning when the provider's known balance is short."""

from decimal import Decimal

import pytest

from orders.models import Markup
from orders.services.placement_estimate import order_estimate
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/new/estimate/"


@pytest.fixture
def operator_client(client_as, operator):
    return client_as(operator)


def service_of(type_name="Default", **fields):
    provider = make_provider(
        currency="USD", balance=fields.pop("balance", None), default_markup_value=Decimal("30")
    )
    return make_service(provider, type=type_name, **fields)


def test_default_orders_cost_quantity_at_the_rate_per_thousand():
    service = service_of(rate=Decimal("0.90"))
    estimate = order_estimate(service=service, params={"link": "x.com", "quantity": "1000"})
    assert (estimate.units, estimate.cost, estimate.price) == (
        1000,
        Decimal("0.90000"),
        Decimal("1.17000"),
    )
    assert (estimate.cost_text, estimate.price_text) == ("0.90 USD", "1.17 USD")


def test_drip_feed_costs_quantity_times_runs():
    service = service_of(rate=Decimal("0.90"), dripfeed=True)
    params = {"link": "x.com", "quantity": "1000", "runs": "5", "interval": "30"}
    estimate = order_estimate(service=service, params=params)
    assert (estimate.units, estimate.quantity, estimate.runs) == (5000, 1000, 5)
    assert (estimate.cost, estimate.price) == (Decimal("4.5"), Decimal("5.85"))


def test_comment_types_cost_the_number_of_lines():
    service = service_of("Custom Comments", rate=Decimal("8"), min_quantity=10)
    comments = "\n".join(f"Nice {n}" for n in range(12)) + "\n\n"
    estimate = order_estimate(service=service, params={"link": "x.com", "comments": comments})
    assert (estimate.units, estimate.item) == (12, "comment")
    assert (estimate.cost, estimate.price) == (Decimal("0.096"), Decimal("0.1248"))


def test_a_package_costs_the_service_rate():
    service = service_of("Package", rate=Decimal("1.50"), min_quantity=1, max_quantity=1)
    estimate = order_estimate(service=service, params={})
    assert estimate.package
    assert (estimate.cost, estimate.price) == (Decimal("1.50"), Decimal("1.95"))


def test_subscriptions_cost_a_range_per_new_post():
    service = service_of("Subscriptions", rate=Decimal("0.15"))
    estimate = order_estimate(service=service, params={"min": "50", "max": "100"})
    assert estimate.per_post
    assert (estimate.cost, estimate.cost_max) == (Decimal("0.0075"), Decimal("0.015"))
    assert (estimate.price, estimate.price_max) == (Decimal("0.00975"), Decimal("0.0195"))
    assert estimate.cost_text == "0.0075–0.015 USD"


def test_rates_with_five_decimals_stay_exact():
    service = service_of(rate=Decimal("0.01837"), max_quantity=10**7)
    estimate = order_estimate(service=service, params={"link": "x.com", "quantity": "12345"})
    assert estimate.cost == Decimal("0.22678")  # 0.2267776… rounded to the 5 places kept
    assert isinstance(estimate.price, Decimal)


def test_a_fixed_markup_adds_to_the_rate_per_thousand():
    service = service_of(
        rate=Decimal("0.90"), markup_kind=Markup.FIXED, markup_value=Decimal("0.10")
    )
    estimate = order_estimate(service=service, params={"link": "x.com", "quantity": "2000"})
    assert estimate.price == Decimal("2.00")


def test_no_cost_is_shown_for_a_quantity_out_of_bounds():
    service = service_of(min_quantity=50)
    estimate = order_estimate(service=service, params={"link": "x.com", "quantity": "10"})
    assert not estimate.known
    assert "quantity" in estimate.errors


def test_the_endpoint_renders_the_estimate_fragment(operator_client):
    service = service_of(rate=Decimal("0.90"), dripfeed=True)
    data = {
        "service": service.pk,
        "link": "x.com",
        "quantity": "1000",
        "runs": "5",
        "interval": "3",
    }
    page = operator_client.post(URL, data).content.decode()
    assert not page.lstrip().startswith("<!doctype")
    assert "4.50 USD" in page
    assert "5.85 USD" in page
    assert "1,000 × 5 runs = 5,000 units." in page


def test_the_endpoint_asks_for_a_quantity_in_bounds(operator_client):
    service = service_of(min_quantity=50, max_quantity=10000)
    page = operator_client.post(URL, {"service": service.pk, "quantity": "5"}).content.decode()
    assert "Enter a quantity from 50 to 10,000 to see the cost." in page


def test_the_endpoint_shows_a_subscription_per_post(operator_client):
    service = service_of("Subscriptions", rate=Decimal("0.15"))
    data = {"service": service.pk, "min": "50", "max": "100"}
    page = operator_client.post(URL, data).content.decode()
    assert "Cost per new post" in page
    assert "0.0075–0.015 USD" in page


def test_a_subscription_with_a_posts_limit_shows_what_every_post_costs(operator_client):
    service = service_of("Subscriptions", rate=Decimal("0.15"))
    data = {"service": service.pk, "min": "50", "max": "100", "posts": "10"}
    page = operator_client.post(URL, data).content.decode()
    assert "0.0075–0.015 USD" in page  # per post
    assert "For all 10 posts: 0.075–0.15 USD → 0.0975–0.195 USD." in page
    one = operator_client.post(URL, data | {"posts": "1"}).content.decode()
    assert "For 1 post: 0.0075–0.015 USD → 0.00975–0.0195 USD." in one
    unlimited = operator_client.post(URL, data | {"posts": ""}).content.decode()
    assert "estimate-posts" not in unlimited


def test_one_unit_is_said_in_the_singular(operator_client):
    service = service_of(rate=Decimal("0.90"), min_quantity=1)
    page = operator_client.post(URL, {"service": service.pk, "link": "x.com", "quantity": "1"})
    assert "For 1 unit." in page.content.decode()


def test_a_short_balance_is_warned_about(operator_client):
    service = service_of(rate=Decimal("0.90"), balance=Decimal("1.00"))
    data = {"service": service.pk, "link": "x.com", "quantity": "5000"}  # costs 4.50
    page = operator_client.post(URL, data).content.decode()
    assert 'data-testid="balance-warning"' in page
    assert "is 1.00 USD, less than this order costs" in page


def test_an_ample_balance_is_shown_without_a_warning(operator_client):
    service = service_of(rate=Decimal("0.90"), balance=Decimal("100"))
    data = {"service": service.pk, "link": "x.com", "quantity": "5000"}
    page = operator_client.post(URL, data).content.decode()
    assert "balance-warning" not in page
    assert "100.00 USD" in page


def test_a_subscription_is_warned_about_by_its_most_expensive_post(operator_client):
    service = service_of("Subscriptions", rate=Decimal("0.15"), balance=Decimal("0.01"))
    data = {"service": service.pk, "min": "50", "max": "100"}  # 0.0075 to 0.015 a post
    assert "balance-warning" in operator_client.post(URL, data).content.decode()


def test_an_unknown_balance_is_not_warned_about(operator_client):
    service = service_of(rate=Decimal("1000"))
    data = {"service": service.pk, "link": "x.com", "quantity": "5000"}
    page = operator_client.post(URL, data).content.decode()
    assert "balance" not in page.lower()


def test_the_first_render_of_a_package_already_shows_its_price(operator_client):
    service = service_of("Package", rate=Decimal("1.50"), min_quantity=1, max_quantity=1)
    page = operator_client.get(f"/orders/new/?service={service.pk}").content.decode()
    assert "Cost of the package" in page
    assert "1.95 USD" in page


def test_viewers_get_no_estimates(client_as, viewer):
    service = service_of()
    assert client_as(viewer).post(URL, {"service": service.pk}).status_code == 403
