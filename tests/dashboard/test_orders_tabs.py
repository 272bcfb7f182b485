"""The orders list's status tabs: what each lists, its count, and how it works with the rest
of the list (filters, pages, export, counts loaded after the page)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import EventKind, LocalState, Order, OrderEvent, Status
from orders.selectors.tabs import SPLIT, TABS, tab_of
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/"
COUNTS = "/orders/counts/"
LONG_AGO = timezone.now() - timedelta(days=3)


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="order-(\d+)"', response.content.decode())]


def counts(response) -> dict[str, int]:
    """Each tab's count as the page shows it (1,234 read as 1234)."""
    found = re.findall(
        r'data-tab="([a-z_]+)"[^>]*>[^<]*<span class="tab-count[^"]*">([\d,]+)</span>',
        response.content.decode(),
    )
    return {key: int(n.replace(",", "")) for key, n in found}


def one_of_each(service=None) -> dict[str, Order]:
    """An order of every kind a tab tells apart, named for what it is."""
    service = service or make_service()
    recent_change = {"submitted_at": LONG_AGO}
    kinds = {
        "queued": {"state": LocalState.QUEUED, "upstream_id": None},
        "submitting": {"state": LocalState.SUBMITTING, "upstream_id": None},
        "awaiting_check": {"status": ""},
        "pending": {"status": Status.PENDING},
        "in_progress": {"status": Status.IN_PROGRESS} | recent_change,
        "processing": {"status": Status.PROCESSING},
        "unknown": {"status": Status.UNKNOWN},
        "completed": {"status": Status.COMPLETED},
        "partial": {"status": Status.PARTIAL},
        "canceled": {"status": Status.CANCELED},
        "refunded": {"status": Status.REFUNDED},
        "failed": {"status": Status.FAILED},
        "rejected": {"state": LocalState.REJECTED, "upstream_id": None},
        "rejected_long_ago": {"state": LocalState.REJECTED, "upstream_id": None},
        "not_placed": {"state": LocalState.NOT_PLACED, "upstream_id": None},
        "unverified": {"state": LocalState.UNVERIFIED, "upstream_id": None},
        "missing": {"status": Status.PENDING, "missing_upstream": True},
        "stuck": {"status": Status.IN_PROGRESS, "submitted_at": LONG_AGO},
    }
    orders = {name: make_order(service, **fields) for name, fields in kinds.items()}
    Order.objects.filter(pk=orders["rejected_long_ago"].pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    # A status change within the day: in progress, not stuck.
    OrderEvent.objects.create(order=orders["in_progress"], kind=EventKind.STATUS, message="a → b")
    return orders


LISTED = {
    "": "all",
    "pending": ["queued", "submitting", "awaiting_check", "pending", "missing"],
    "in_progress": ["in_progress", "processing", "unknown", "stuck"],
    "completed": ["completed"],
    "partial": ["partial"],
    "canceled": ["canceled", "refunded", "failed", "rejected", "rejected_long_ago", "not_placed"],
    "unverified": ["unverified"],
    "problems": ["unknown", "rejected", "unverified", "missing", "stuck"],
}


@pytest.mark.parametrize("tab", list(LISTED))
def test_each_tab_lists_the_orders_its_help_describes(staff_client, tab):
    orders = one_of_each()
    wanted = orders if LISTED[tab] == "all" else {name: orders[name] for name in LISTED[tab]}
    response = staff_client.get(URL, {"tab": tab} if tab else {})
    assert sorted(row_ids(response)) == sorted(order.pk for order in wanted.values())


def test_each_tab_counts_the_orders_it_lists(staff_client):
    one_of_each()
    shown = counts(staff_client.get(COUNTS))
    assert set(shown) == {tab.key or "all" for tab in TABS}
    for tab in LISTED:
        listed = row_ids(staff_client.get(URL, {"tab": tab} if tab else {}))
        assert shown[tab or "all"] == len(listed), tab


def test_the_tabs_but_problems_split_every_order_so_their_counts_add_up_to_all(staff_client):
    one_of_each()
    shown = counts(staff_client.get(COUNTS))
    assert sum(shown[key] for key in SPLIT) == shown["all"] == Order.objects.count()


@pytest.mark.parametrize(
    ("state", "status", "tab"),
    [
        (LocalState.PLACED, "", "pending"),
        (LocalState.QUEUED, "", "pending"),
        (LocalState.PLACED, Status.UNKNOWN, "in_progress"),
        (LocalState.PLACED, Status.FAILED, "canceled"),
        (LocalState.NOT_PLACED, "", "canceled"),
        (LocalState.UNVERIFIED, "", "unverified"),
        (LocalState.PLACED, Status.PARTIAL, "partial"),
    ],
)
def test_an_order_belongs_to_one_tab_by_its_state_and_status(state, status, tab):
    assert tab_of(state, status) == tab


def test_a_tab_keeps_the_provider_filter_and_the_provider_filter_keeps_the_tab(staff_client):
    ours, theirs = make_service(), make_service(make_provider(name="Other"))
    mine = make_order(ours, status=Status.COMPLETED)
    make_order(theirs, status=Status.COMPLETED)
    make_order(ours, status=Status.PARTIAL)
    query = {"tab": "completed", "provider": ours.provider_id}
    response = staff_client.get(URL, query)
    assert row_ids(response) == [mine.pk]
    page = response.content.decode()
    # The filter form carries the tab; each tab's link carries the provider.
    assert '<input type="hidden" name="tab" value="completed"' in page
    assert f'href="?provider={ours.provider_id}&amp;tab=partial"' in page
    shown = counts(staff_client.get(COUNTS, query))
    assert (shown["all"], shown["completed"], shown["partial"]) == (2, 1, 1)


def test_the_current_tab_is_marked_for_screen_readers_and_all_is_current_by_default(
    staff_client,
):
    page = staff_client.get(URL).content.decode()
    assert re.search(r'data-tab="all"[^>]*aria-current="page"', page)
    page = staff_client.get(URL, {"tab": "problems"}).content.decode()
    assert re.search(r'data-tab="problems"[^>]*aria-current="page"', page)
    assert "Needs a person: unverified, rejected in the last 7 days, stuck" in page
    assert len(re.findall('aria-current="page"', page)) == 1


def test_a_tab_that_is_not_one_lists_every_order(staff_client):
    order = make_order(status=Status.COMPLETED)
    assert row_ids(staff_client.get(URL, {"tab": "nonsense"})) == [order.pk]


def test_a_tab_is_paged_by_keyset_and_its_next_page_stays_in_the_tab(staff_client):
    service = make_service()
    completed = [make_order(service, status=Status.COMPLETED) for _ in range(53)]
    for _ in range(3):
        make_order(service, status=Status.PARTIAL)
    first = staff_client.get(URL, {"tab": "completed"})
    link = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert "tab=completed" in link
    second = staff_client.get(URL + link.replace("&amp;", "&"))
    newest_first = [order.pk for order in reversed(completed)]
    assert row_ids(first) + row_ids(second) == newest_first


def test_the_page_asks_for_its_counts_after_it_renders_and_shows_them_when_kept(staff_client):
    make_order(status=Status.COMPLETED)
    page = staff_client.get(URL, {"tab": "completed"}).content.decode()
    assert 'hx-get="/orders/counts/?tab=completed"' in page
    assert counts(staff_client.get(URL)) == {}  # not counted yet: "…" in each badge
    staff_client.get(COUNTS)
    kept = staff_client.get(URL)
    assert counts(kept)["completed"] == 1
    assert "Counted 0 seconds ago." in kept.content.decode()
    assert 'hx-get="/orders/counts/' not in kept.content.decode()


def test_counts_are_kept_for_a_moment_per_filter(staff_client):
    service = make_service()
    make_order(service, status=Status.COMPLETED)
    assert counts(staff_client.get(COUNTS))["completed"] == 1
    make_order(service, status=Status.COMPLETED)
    assert counts(staff_client.get(COUNTS))["completed"] == 1  # kept, and its age says so
    fresh = counts(staff_client.get(COUNTS, {"provider": service.provider_id}))
    assert fresh["completed"] == 2


def test_the_list_with_a_tab_costs_no_more_queries_than_without(staff_client):
    one_of_each()
    with CaptureQueriesContext(connection) as plain:
        staff_client.get(URL)
    with CaptureQueriesContext(connection) as tabbed:
        staff_client.get(URL, {"tab": "problems"})
    with CaptureQueriesContext(connection) as counting:
        staff_client.get(COUNTS)
    assert len(tabbed) == len(plain)
    assert not [q for q in plain if "COUNT(" in q["sql"].upper()]
    # session, user, the user's permissions (2), the split by (state, status), and one per
    # kind of problem
    assert len(counting) == 8


def test_the_export_keeps_to_the_tab(staff_client):
    orders = one_of_each()
    response = staff_client.get("/orders/export.csv", {"tab": "partial"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(line[0]) for line in lines[1:]] == [orders["partial"].pk]


def test_bulk_actions_go_back_to_the_tab_they_were_asked_from(client_as, operator):
    order = make_order(status=Status.COMPLETED)
    client = client_as(operator)
    page = client.get(URL, {"tab": "completed"}).content.decode()
    assert 'name="next" value="/orders/?tab=completed"' in page
    response = client.post(
        "/orders/bulk/cancel/", {"order": [order.pk], "next": "/orders/?tab=completed"}
    )
    assert response.headers["Location"] == "/orders/?tab=completed"


def test_a_tab_of_several_statuses_pages_newest_first_across_them_both_ways(staff_client):
    service = make_service()
    kinds = [
        {"status": Status.CANCELED},
        {"status": Status.REFUNDED},
        {"state": LocalState.REJECTED, "upstream_id": None},
        {"status": Status.FAILED},
    ]
    canceled = [make_order(service, **kinds[n % 4]) for n in range(54)]
    make_order(service, status=Status.COMPLETED)
    first = staff_client.get(URL, {"tab": "canceled"})
    link = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1)
    second = staff_client.get(URL + link.replace("&amp;", "&"))
    assert row_ids(first) + row_ids(second) == [order.pk for order in reversed(canceled)]
    back = re.search(r'rel="prev" href="([^"]+)"', second.content.decode()).group(1)
    assert row_ids(staff_client.get(URL + back.replace("&amp;", "&"))) == row_ids(first)
