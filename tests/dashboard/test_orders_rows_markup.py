"""The orders list's rows, their live cells and an order's timeline are written in Python
(orders/templatetags/order_rows.py) and the filter form's selects by FilterSelect: they show
what the templates showed, escaped, in the reader's time zone and language."""

from datetime import UTC, datetime

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.forms.orders import FilterSelect
from orders.models import EventKind, LocalState, Order, OrderEvent, Status
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
MOMENT = datetime(2026, 5, 4, 21, 30, 15, 500000, tzinfo=UTC)


def list_page(client, language: str = "en") -> str:
    response = client.get("/orders/", headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_names_links_and_labels_are_escaped(staff_client):
    service = make_service(make_provider(name="Acme <script>"), name='Likes & "more"')
    order = make_order(service, link="https://x.test/?a=1&b=<2>", order_type="<Default>")
    page = list_page(staff_client)
    assert "<script>" not in page and "Acme &lt;script&gt; · &lt;Default&gt; · " in page
    assert 'title="Likes &amp; &quot;more&quot;">Likes &amp; &quot;more&quot;</div>' in page
    assert 'title="https://x.test/?a=1&amp;b=&lt;2&gt;">https://x.test/?a=1&amp;b=&lt;2&gt;' in page
    assert f'<a href="{reverse("order_detail", args=[order.pk])}">#{order.pk}</a>' in page


def test_a_row_shows_its_time_in_the_readers_time_zone(staff_client):
    order = make_order()
    Order.objects.filter(pk=order.pk).update(created_at=MOMENT)
    with timezone.override("Asia/Kolkata"):
        page = list_page(staff_client)
    assert '<time datetime="2026-05-05T03:00:15.500000+05:30">2026-05-05 03:00</time>' in page


def test_quantities_are_grouped_as_the_readers_language_groups_them(staff_client):
    make_order(quantity=12345678, remains=2345678, status=Status.IN_PROGRESS)
    page = list_page(staff_client, language="de")
    assert '<td class="c-qty num">12.345.678</td>' in page
    assert '<progress max="12345678" value="10000000"' in page
    assert '<span class="progress-label">10.000.000 / 12.345.678</span>' in page


def test_an_order_not_sent_yet_shows_what_was_ordered_and_its_state(staff_client):
    make_order(quantity=2500, state=LocalState.QUEUED, upstream_id=None)
    page = list_page(staff_client)
    assert '<span class="progress-label">2,500 ordered</span>' in page
    assert '<span class="badge queued">Queued</span>' in page


def test_the_live_cells_are_the_rows_cells_marked_out_of_band(staff_client):
    order = make_order(status=Status.IN_PROGRESS, remains=40, missing_upstream=True)
    row = list_page(staff_client)
    cells = staff_client.get("/orders/live/", {"ids": order.pk}).content.decode()
    for cell in ("progress", "status", "charge"):
        start = f'<div id="order-{order.pk}-{cell}"'
        in_row = row[row.index(start) : row.index("</div>\n</td>", row.index(start))]
        live = cells[cells.index(start) : cells.index("</div>\n", cells.index(start))]
        opening = in_row[: in_row.index(">")]
        assert live == in_row.replace(opening, f'{opening} hx-swap-oob="true"', 1)
    assert '<span class="badge bad">Missing upstream</span>' in cells


def test_the_timeline_shows_each_event_in_local_time_escaped_with_its_actor(staff_client, operator):
    order = make_order()
    event = OrderEvent.objects.create(
        order=order, kind=EventKind.STAFF, message="<b>noted</b>", actor=operator
    )
    OrderEvent.objects.filter(pk=event.pk).update(at=MOMENT)
    with timezone.override("Asia/Tokyo"):
        page = staff_client.get(f"/orders/{order.pk}/").content.decode()
    assert (
        '<li class="staff"><time datetime="2026-05-05T06:30:15.500000+09:00">2026-05-05 06:30:15'
        '</time><span class="badge">Staff action</span> &lt;b&gt;noted&lt;/b&gt;'
        ' <span class="muted">— operator</span></li>'
    ) in page


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        ("", {}),
        ("b", {"id": "id_x"}),
        ("<c>", {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False}),
    ],
)
def test_filter_select_writes_what_djangos_select_template_writes(value, attrs):
    choices = [
        ("", "Any"),
        ("b", 'B & "b"'),
        ("<c>", "<C>"),
        ("Group <g>", [("g1", "G1"), ("g2", "G2")]),
    ]
    ours = FilterSelect(choices=choices).render("x", value, attrs=dict(attrs))
    djangos = forms.Select(choices=choices).render("x", value, attrs=dict(attrs))
    assert ours == djangos


def test_the_filter_form_reads_the_providers_in_one_plain_query(staff_client):
    make_order()
    with CaptureQueriesContext(connection) as queries:
        list_page(staff_client)
    reads = [q["sql"] for q in queries if 'FROM "orders_provider"' in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith("SELECT")  # not a server-side cursor


def test_a_pending_order_shows_no_delivery_even_with_nothing_remaining(staff_client):
    """Providers often answer remains 0 for an order they have not started: not 100 of 100."""
    order = make_order(quantity=100, remains=0, status=Status.PENDING)
    row = list_page(staff_client)
    cells = staff_client.get("/orders/live/", {"ids": order.pk}).content.decode()
    for page in (row, cells):
        progress = page[page.index(f'id="order-{order.pk}-progress"') :]
        progress = progress[: progress.index("</div>")]
        assert '<span class="muted">—</span>' in progress
        assert "<progress" not in progress and "100 / 100" not in progress


def test_a_started_order_shows_its_delivery(staff_client):
    order = make_order(quantity=100, remains=0, status=Status.COMPLETED)
    page = list_page(staff_client)
    assert '<progress max="100" value="100" aria-label="Delivered" class="done">' in page
    assert f'id="order-{order.pk}-progress"' in page
