"""Mass orders through the pages: preview every line, place the valid ones once, see results."""

import re
from decimal import Decimal

import pytest

from orders.models import LocalState, Order
from orders.services.mass_order import line_key
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/mass/"


@pytest.fixture
def operator_client(client_as, operator):
    return client_as(operator)


@pytest.fixture
def shop():
    """One provider with a few services of different types, known by their upstream ids."""
    provider = make_provider(name="Main Panel", currency="USD")
    make_service(provider, upstream_id=1, type="Default", rate=Decimal("0.90"), dripfeed=True)
    make_service(
        provider,
        upstream_id=4,
        type="Package",
        rate=Decimal("1.50"),
        min_quantity=1,
        max_quantity=1,
    )
    make_service(provider, upstream_id=5, type="Custom Comments", rate=Decimal("8"), min_quantity=2)
    make_service(provider, upstream_id=15, type="Subscriptions", rate=Decimal("0.15"))
    make_service(provider, upstream_id=26, type="Poll", rate=Decimal("6.50"))
    make_service(provider, upstream_id=29, type="Custom Reactions")
    make_service(provider, upstream_id=30, type="Default", enabled=False)
    return provider


GOOD = """# good lines
1 | https://instagram.com/p/a | 1000
1 | https://instagram.com/p/b | 1000 | runs=2 | interval=10
4 | https://instagram.com/p/c
5 | https://instagram.com/p/d | | comments=Love it;So good\\; really;Wow
15 | | | username=me | min=50 | max=100 | delay=0
26 | https://x.com/poll/1 | 100 | answer_number=2
"""
BAD = """abc | https://x.com | 10
999 | https://x.com | 100
30 | https://x.com | 100
29 | https://x.com | 100
1 | https://x.com | 10
26 | https://x.com | 100 | answer_number
"""


def preview(client, text, **extra):
    return client.post(URL, {"lines": text, "step": "preview", **extra})


def place_form(page: str) -> dict:
    """The data the "Place" form sends back: the previewed text, its provider and token."""
    form = page[page.index('class="place-form"') :]
    token = re.search(r'name="token" value="([^"]+)"', form)[1]
    text = re.search(
        r'<textarea name="lines" hidden aria-hidden="true">\n(.*?)</textarea>', form, re.S
    )[1]
    provider = re.search(r'name="provider" value="(\d+)"', form)
    data = {"step": "place", "token": token, "lines": text.replace("&#x27;", "'")}
    return data | ({"provider": provider[1]} if provider else {})


def rows(page: str) -> dict[int, str]:
    found = re.findall(r'<tr class="line-\w+" data-line="(\d+)">(.*?)</tr>', page, re.S)
    return {int(number): row for number, row in found}


def test_viewers_may_not_place_mass_orders(client_as, viewer):
    client = client_as(viewer)
    assert client.get(URL).status_code == 403
    assert preview(client, GOOD).status_code == 403


def test_the_page_documents_the_line_format_for_every_type(operator_client):
    page = operator_client.get(URL).content.decode()
    assert "service_id | link | quantity | key=value | key=value" in page
    for type_name in (
        "Default",
        "Custom Comments",
        "Subscriptions",
        "Web Traffic",
        "Mentions Hashtag",
    ):
        assert f"<td>{type_name}</td>" in page
    assert "<code>answer_number=</code>" in page
    assert "comments separated by ;" in page


def test_the_preview_checks_and_prices_every_line(operator_client, shop):
    page = preview(operator_client, GOOD + BAD).content.decode()
    lines = rows(page)
    assert len(lines) == 12
    assert all('badge ok">Ready' in lines[n] for n in range(2, 8))
    assert "0.90 USD" in lines[2]
    assert "1.80 USD" in lines[3]  # 1000 × 2 runs
    assert "package" in lines[4]
    assert "0.024 USD" in lines[5]  # three comments at 8 per 1000
    assert "per post" in lines[6]
    assert 'data-testid="valid-count">6<' in page
    assert 'data-testid="invalid-count">6<' in page


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("abc | https://x.com | 10", "The service id must be a number, not &#x27;abc&#x27;"),
        ("999 | https://x.com | 100", "There is no service 999"),
        ("30 | https://x.com | 100", "Service 30 is disabled for ordering"),
        ("29 | https://x.com | 100", "Type &#x27;Custom Reactions&#x27; is not supported yet"),
        ("1 | https://x.com | 10", "Quantity must be between 50 and 10000"),
        ("26 | https://x.com | 100 | answer_number", "Column 4 (&#x27;answer_number&#x27;)"),
        ("26 | https://x.com | 100", "Answer number is required"),
        ("4 | https://x.com | 1", "Quantity is not used by Package orders"),
        ("1 | mailto:a@b.c | 100", "Link must be an http:// or https:// address"),
        pytest.param(
            "1 | https://x.com/" + "a" * 1990 + " | 100",
            "Link must be at most 2,000 characters (it has 2,004)",
            id="a-link-too-long",
        ),
        ("26 | https://x.com | 100 | answer_number=2 | colour=red", "Colour is not used by Poll"),
    ],
)
def test_each_kind_of_bad_line_says_what_is_wrong(operator_client, shop, line, message):
    page = preview(operator_client, line).content.decode()
    assert message in rows(page)[1]
    assert "No line can be placed" in page


def test_totals_are_given_per_currency(operator_client, shop):
    euro = make_provider(name="Euro Panel", currency="EUR")
    make_service(euro, upstream_id=77, rate=Decimal("2.00"))
    text = "1 | https://x.com/a | 1000\n1 | https://x.com/b | 2000\n77 | https://x.com/c | 500"
    page = preview(operator_client, text).content.decode()
    assert "2.70 USD → 3.51 USD" in page
    assert "1.00 EUR → 1.30 EUR" in page


def test_a_short_balance_is_warned_about_in_the_preview(operator_client, shop):
    shop.balance = Decimal("1.00")
    shop.save()
    page = preview(
        operator_client, "1 | https://x.com/a | 1000\n1 | https://x.com/b | 1000"
    ).content.decode()
    assert (
        "The last known balance at Main Panel is 1.00 USD, less than these orders cost (1.80 USD)"
        in page
    )


def test_a_repeated_line_is_pointed_out(operator_client, shop):
    page = preview(
        operator_client, "1 | https://x.com/a | 100\n1 | https://x.com/a | 100"
    ).content.decode()
    assert "The same order as line 1" in rows(page)[2]


def test_ids_shared_by_two_providers_need_the_provider_chosen(operator_client, shop):
    other = make_provider(name="Other Panel")
    make_service(other, upstream_id=1)
    page = preview(operator_client, "1 | https://x.com/a | 100").content.decode()
    assert "Service 1 exists at Main Panel and Other Panel: choose the provider above" in page
    assert '<select name="provider"' in page
    page = preview(operator_client, "1 | https://x.com/a | 100", provider=shop.pk).content.decode()
    assert 'badge ok">Ready' in rows(page)[1]


def test_with_one_provider_there_is_no_provider_to_choose(operator_client, shop):
    assert '<select name="provider"' not in operator_client.get(URL).content.decode()


def test_placing_creates_one_order_per_valid_line_and_shows_the_results(
    operator_client, operator, shop
):
    page = preview(operator_client, GOOD + BAD).content.decode()
    data = place_form(page)
    response = operator_client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == f"/orders/mass/{data['token']}/"
    orders = Order.objects.order_by("pk")
    assert orders.count() == 6
    assert {order.state for order in orders} == {LocalState.QUEUED}
    assert {order.placed_by for order in orders} == {operator}
    assert orders[3].params["comments"] == "Love it\nSo good; really\nWow"
    assert orders[0].idempotency_key == line_key(data["token"], 2)

    results = operator_client.get(response["Location"]).content.decode()
    lines = rows(results)
    assert f'href="/orders/{orders[0].pk}/">Order #{orders[0].pk}</a>' in lines[2]
    assert "There is no service 999" in lines[9]
    assert 'data-testid="placed-count">6<' in results
    assert 'data-testid="failed-count">6<' in results


def test_placing_the_same_preview_again_buys_nothing_more(operator_client, shop):
    data = place_form(preview(operator_client, GOOD).content.decode())
    operator_client.post(URL, data)
    again = operator_client.post(URL, data)
    assert Order.objects.count() == 6
    results = operator_client.get(again["Location"]).content.decode()
    assert results.count("placed by an earlier submission of this preview") == 6


def test_a_new_preview_of_the_same_lines_places_new_orders(operator_client, shop):
    for _ in range(2):
        operator_client.post(URL, place_form(preview(operator_client, GOOD).content.decode()))
    assert Order.objects.count() == 12


def test_placing_without_a_valid_token_only_previews(operator_client, shop):
    page = operator_client.post(URL, {"lines": GOOD, "step": "place", "token": "x"})
    assert page.status_code == 200
    assert not Order.objects.exists()


def test_placing_checks_the_lines_again(operator_client, shop):
    data = place_form(preview(operator_client, "1 | https://x.com/a | 100").content.decode())
    shop.services.filter(upstream_id=1).update(enabled=False)
    response = operator_client.post(URL, data)
    assert not Order.objects.exists()
    results = operator_client.get(response["Location"]).content.decode()
    assert "Service 1 is disabled for ordering" in results


def test_results_that_are_gone_send_back_to_the_form(operator_client):
    response = operator_client.get("/orders/mass/unknown-token-0123456789/")
    assert response["Location"] == URL


def test_an_empty_paste_is_refused(operator_client):
    page = preview(operator_client, "\n# only a comment\n").content.decode()
    assert "Paste at least one order line" in page


def test_more_than_a_thousand_lines_are_refused(operator_client, shop):
    text = "\n".join("1 | https://x.com/a | 100" for _ in range(1001))
    page = preview(operator_client, text).content.decode()
    assert "At most 1000 order lines at once: you pasted 1001" in page


def lines_of(n: int) -> str:
    kinds = [
        "1 | https://x.com/{n} | 100",
        "5 | https://x.com/{n} | | comments=a;b;c",
        "26 | https://x.com/{n} | 100 | answer_number=1",
        "999 | https://x.com/{n} | 100",
        "oops",
    ]
    return "\n".join(kinds[n % len(kinds)].format(n=n) for n in range(n))


def test_the_preview_costs_the_same_queries_for_ten_or_a_thousand_lines(
    operator_client, shop, django_assert_num_queries
):
    preview(operator_client, lines_of(10))
    # session, user, 2 permission reads, the provider count, the services of every line
    with django_assert_num_queries(6) as ten:
        preview(operator_client, lines_of(10))
    with django_assert_num_queries(len(ten.captured_queries)):
        page = preview(operator_client, lines_of(1000)).content.decode()
    assert 'data-testid="valid-count">600<' in page


def test_subscriptions_are_left_out_of_the_totals_and_said_so(operator_client, shop):
    text = "1 | https://x.com/a | 1000\n15 | | | username=me | min=50 | max=100 | delay=0"
    page = preview(operator_client, text).content.decode()
    assert "0.90 USD → 1.17 USD" in page
    assert "The totals leave out 1 subscription: it is charged per new post." in page
