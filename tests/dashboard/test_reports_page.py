"""The reports page: filters, currencies, the table and its CSV, and who may see it."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from orders.forms.reports import preset_range
from orders.selectors.reports import business_today
from tests.factories import make_order, make_provider, make_service
from tests.ledger_rows import booked, settled

pytestmark = pytest.mark.django_db


def now() -> datetime:
    return timezone.now()


def order(currency="USD", name="Instagram Followers", provider_name=None):
    provider = make_provider(
        currency=currency, **({"name": provider_name} if provider_name else {})
    )
    return make_order(make_service(provider, name=name), currency=currency)


def page(client, query="") -> str:
    response = client.get(f"/reports/{query}")
    assert response.status_code == 200
    return response.content.decode()


def table(html: str) -> list[list[str]]:
    """The report table's cells, head to foot, as text."""
    body = html[html.index('<table class="data report-table">') : html.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def export(client, query="") -> list[list[str]]:
    response = client.get(f"/reports/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_shows_a_row_per_day_and_a_total_with_the_definitions(client_as, viewer):
    settled(booked(order(), now(), "3.00", "4.00"), now(), refund="1.00", reversal="1.00")
    html = page(client_as(viewer))
    cells = table(html)
    assert cells[0] == [
        "Day",
        "Orders",
        "Spend",
        "Refunds",
        "Net cost",
        "Sales",
        "Profit",
        "Margin",
    ]
    assert len(cells) == 1 + 30 + 1  # the head, the last 30 days, the total
    assert cells[-2][1:] == ["1", "3.00", "1.00", "2.00", "3.00", "1.00", "33.3 %"]
    assert cells[-1] == ["Total", "1", "3.00", "1.00", "2.00", "3.00", "1.00", "33.3 %"]
    assert cells[1][-1] == "–"  # a day without sales has no margin
    assert "by the day the money moved, in the business timezone (UTC)" in html
    assert "settlement (a partial delivery, a cancel, a refund) on the day it ended" in html
    assert "<svg" in html and 'style="' not in html.split("<svg", 1)[1].split("</svg>")[0]


def test_the_csv_is_the_table(client_as, viewer):
    settled(booked(order(), now(), "1234.50", "1500.25"), now(), refund="0.25", reversal="0.3")
    booked(order(name="Views"), now() - timedelta(days=3), "10", "12")
    client = client_as(viewer)
    for query in ("", "?group=service", "?period=year&group=month"):
        shown = table(page(client, query))
        written = export(client, query)
        # The same cells, as a spreadsheet wants them: no grouping, the % in the header.
        cells = [[cell.replace(",", "").removesuffix(" %") for cell in row] for row in shown]
        cells[0][-1] = "Margin %"
        assert [[row[0], *row[2:]] for row in written] == cells, query
        assert {row[1] for row in written[1:]} == {"USD"}


def test_csv_cells_that_a_spreadsheet_would_run_are_made_inert(client_as, viewer):
    booked(order(name='=HYPERLINK("http://x")', provider_name="@evil"), now(), "1", "2")
    client = client_as(viewer)
    names = {row[0] for row in export(client, "?group=service")[1:]}
    assert '\'=HYPERLINK("http://x") (@evil)' in names
    providers = {row[0] for row in export(client, "?group=provider")[1:]}
    assert "'@evil" in providers


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("today", date(2026, 3, 18), date(2026, 3, 18)),
        ("7d", date(2026, 3, 12), date(2026, 3, 18)),
        ("30d", date(2026, 2, 17), date(2026, 3, 18)),
        ("month", date(2026, 3, 1), date(2026, 3, 18)),
        ("last_month", date(2026, 2, 1), date(2026, 2, 28)),
        ("year", date(2026, 1, 1), date(2026, 3, 18)),
    ],
)
def test_each_preset_covers_its_days_today_included(period, first, last):
    assert preset_range(period, date(2026, 3, 18)) == (first, last)


def test_last_month_in_january_is_last_years_december():
    assert preset_range("last_month", date(2027, 1, 5)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_preset_reads_only_its_days(client_as, viewer):
    today = business_today()
    booked(order(), now(), "1", "2")
    booked(order(), now() - timedelta(days=8), "10", "20")
    client = client_as(viewer)
    assert table(page(client, "?period=7d"))[-1][1] == "1"
    assert table(page(client, "?period=30d"))[-1][1] == "2"
    assert len(table(page(client, "?period=today"))) == 3
    assert str(today.year) in page(client, "?period=today")


def test_custom_dates_pick_the_days_and_the_grouping(client_as, viewer):
    day = datetime(2026, 1, 20, 12, tzinfo=UTC)
    booked(order(), day, "1", "2")
    booked(order(), day + timedelta(days=20), "1", "2")
    cells = table(
        page(client_as(viewer), "?period=custom&start=2026-01-01&end=2026-02-28&group=month")
    )
    assert [row[:2] for row in cells] == [
        ["Month", "Orders"],
        ["January 2026", "1"],
        ["February 2026", "1"],
        ["Total", "2"],
    ]


def test_dates_alone_are_a_custom_period(client_as, viewer):
    booked(order(), datetime(2026, 1, 20, 12, tzinfo=UTC), "1", "2")
    cells = table(page(client_as(viewer), "?start=2026-01-20&end=2026-01-20"))
    assert cells[-1][:2] == ["Total", "1"]


def test_a_first_day_after_the_last_is_refused_and_the_default_shown(client_as, viewer):
    booked(order(), now(), "1", "2")
    html = page(client_as(viewer), "?period=custom&start=2026-02-10&end=2026-02-01")
    assert "The first day comes after the last." in html
    assert len(table(html)) == 32  # the last 30 days meanwhile


def test_currencies_have_their_own_tables_the_largest_first(client_as, viewer):
    booked(order("USD"), now(), "1", "2")
    booked(order("EUR"), now(), "50", "90")
    client = client_as(viewer)
    html = page(client)
    assert "Figures in EUR" in html and ">USD</a>" in html
    assert table(html)[-1][5] == "90.00"
    usd = page(client, "?currency=USD")
    assert "Figures in USD" in usd and table(usd)[-1][5] == "2.00"
    assert {row[1] for row in export(client, "?currency=USD")[1:]} == {"USD"}


def test_an_empty_period_says_so_and_exports_only_the_header(client_as, viewer):
    client = client_as(viewer)
    assert "No money moved in this period." in page(client)
    assert export(client) == [
        ["Day", "Currency", "Orders", "Spend", "Refunds", "Net cost", "Sales", "Profit", "Margin %"]
    ]


@pytest.mark.parametrize("role", ["viewer", "operator", "admin_user"])
def test_every_role_that_sees_orders_sees_reports_in_the_nav(request, client_as, role):
    client = client_as(request.getfixturevalue(role))
    html = client.get("/").content.decode()
    assert 'href="/reports/"' in html
    assert client.get("/reports/").status_code == 200


def test_staff_without_a_role_may_not_see_money(staff_client):
    assert staff_client.get("/reports/").status_code == 403
    assert staff_client.get("/reports/export.csv").status_code == 403
    assert 'href="/reports/"' not in staff_client.get("/").content.decode()


def test_seeing_providers_alone_is_not_enough(client_as, viewer):
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_provider"))
    assert client_as(viewer).get("/reports/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_costs_the_same_few_queries_whatever_the_orders(
    client_as, viewer, django_assert_max_num_queries
):
    client = client_as(viewer)
    booked(order(), now(), "1", "2")
    with django_assert_max_num_queries(8) as captured:
        page(client, "?group=service")
    few = len(captured)
    for n in range(20):
        booked(order(name=f"Service {n}"), now() - timedelta(days=n), "1", "2")
    with django_assert_max_num_queries(few):
        page(client, "?group=service")


@pytest.mark.parametrize(
    ("query", "shown"),
    [("", "30d"), ("?group=service", "30d"), ("?start=2026-01-01", "custom"), ("?period=7d", "7d")],
)
def test_the_period_selected_is_the_one_in_force(client_as, viewer, query, shown):
    html = page(client_as(viewer), query)
    assert f'<option value="{shown}" selected>' in html
