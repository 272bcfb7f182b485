"""The home page: what each role sees, the problems box, and a constant number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, OrderEvent, Status
from tests.factories import make_order, make_provider, make_service
from tests.ledger_rows import booked, settled

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_staff_member_without_a_role_is_told_to_ask_for_one(staff_client):
    html = page(staff_client)
    assert "Signed in as alice" in html
    assert "has no role yet" in html
    assert "Needs a person" not in html


def test_a_viewer_sees_balances_with_a_low_balance_warning(client_as, viewer):
    make_provider(name="Cheap panel", balance=Decimal("4.5"), low_balance_threshold=Decimal(10))
    make_provider(name="Rich panel", balance=Decimal("900"))
    html = page(client_as(viewer))
    assert "Cheap panel" in html and "Rich panel" in html
    assert html.count("Low: under 10.00 USD") == 1


def test_active_orders_are_counted_by_status(client_as, viewer):
    service = make_service()
    for status in (Status.PENDING, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.COMPLETED):
        make_order(service, status=status)
    make_order(service, state=LocalState.QUEUED, upstream_id=None)
    html = page(client_as(viewer))
    counts = re.findall(r'class="badge (\w+)">[^<]+</span>\s*<span class="count num">(\d+)', html)
    assert dict(counts) == {"queued": "1", "pending": "1", "in_progress": "2"}


def test_unverified_and_recently_rejected_orders_need_a_person(client_as, viewer):
    service = make_service()
    unverified = make_order(service, state=LocalState.UNVERIFIED, upstream_id=None)
    rejected = make_order(
        service, state=LocalState.REJECTED, upstream_id=None, rejection_message="Bad link"
    )
    old = make_order(service, state=LocalState.REJECTED, upstream_id=None)
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    html = page(client_as(viewer))
    assert (
        "Unverified order" in html
        and "Unverified orders" not in html
        and f"#{unverified.pk}</a>" in html
    )
    assert "Rejected in the last 7 days" in html and f"#{rejected.pk}</a>" in html
    assert "Bad link" in html
    assert f"#{old.pk}</a>" not in html


def test_paused_providers_need_a_person(client_as, viewer):
    make_provider(
        name="Flaky panel",
        paused_until=timezone.now() + timedelta(minutes=5),
        last_error="status: the provider is unavailable (server_error, HTTP 502)",
    )
    html = page(client_as(viewer))
    assert "Paused provider" in html and "Paused providers" not in html
    assert "Flaky panel" in html and "HTTP 502" in html


def test_a_provider_whose_key_is_refused_needs_a_person(client_as, viewer):
    make_provider(
        name="Locked panel",
        key_refused_at=timezone.now(),
        consecutive_failures=1,
        last_error="balance: the provider refused (account_refused): API is disable for this user",
    )
    html = page(client_as(viewer))
    assert "Nothing needs a person right now." not in html
    assert "API key refused" in html and "Locked panel" in html
    assert "until the key is changed or a connection test succeeds" in html
    assert "key refused</span>" in html  # on its balance card too


def test_with_nothing_wrong_the_problems_box_says_so(client_as, viewer):
    assert "Nothing needs a person right now." in page(client_as(viewer))


def test_the_chart_is_inline_svg_with_a_title_a_description_and_no_style_attribute(
    client_as, viewer
):
    booked(make_order(make_service(), currency="USD"), timezone.now(), "2", "3")
    html = page(client_as(viewer))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    assert svg.count('class="bar"') == 30 and 'class="line"' in svg
    assert "style=" not in html and "<script>" not in html


def test_someone_who_may_see_providers_but_not_orders_sees_no_money(client_as, viewer):
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_provider"))
    make_order(make_service(), cost=Decimal("2"), price=Decimal("3"))
    html = page(client_as(viewer))
    assert "Balances" in html
    assert "Spend and sales" not in html and "<svg" not in html


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


def populate(n: int) -> None:
    """n orders of every kind the page looks at, over two providers and two currencies."""
    now = timezone.now()
    for currency in ("USD", "EUR"):
        service = make_service(make_provider(currency=currency, balance=Decimal(5)))
        for i in range(n):
            order = make_order(
                service,
                currency=currency,
                cost=Decimal("1.5"),
                price=Decimal("2"),
                charge=Decimal("1.4") if i % 2 else None,
                status=Status.IN_PROGRESS,
                submitted_at=now - timedelta(days=2),
            )
            OrderEvent.objects.create(order=order, kind=EventKind.STATUS, message="x")
            Order.objects.filter(pk=order.pk).update(created_at=now - timedelta(days=i % 30))
            booked(order, now - timedelta(days=i % 30), "1.5", "2")
            if i % 2:
                settled(order, now, refund="0.1", reversal="0.2")
            make_order(service, state=LocalState.UNVERIFIED, upstream_id=None)
            make_order(service, state=LocalState.REJECTED, upstream_id=None)


def test_the_page_costs_the_same_few_queries_with_ten_times_the_data(
    client_as, viewer, django_assert_max_num_queries
):
    client = client_as(viewer)
    populate(3)
    small = queries_for(client)
    populate(30)
    with django_assert_max_num_queries(small):
        page(client)
    assert small <= 16  # session, user, permissions, then one query per block of the page


def test_money_shows_spend_refunds_sales_and_profit_with_a_link_to_reports(client_as, viewer):
    now = timezone.now()
    canceled = booked(make_order(make_service(), currency="USD"), now, "4.00", "5.00")
    settled(canceled, now, refund="4.00", reversal="5.00")
    booked(make_order(make_service(), currency="USD"), now, "1.00", "1.50")
    html = page(client_as(viewer))
    money = html[html.index('id="money-title"') : html.index('id="chart-heading"')]
    today = re.search(r"<th scope=\"row\">today</th>(.*?)</tr>", money, re.S).group(1)
    assert re.findall(r">([^<>]+)</td>", today) == ["5.00", "4.00", "1.50", "0.50"]
    assert 'href="/reports/"' in money
