import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import LocalState, Order, Status
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/"


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="order-(\d+)"', response.content.decode())]


def made(n: int, service=None, **fields) -> list[Order]:
    service = service or make_service()
    return [make_order(service, **fields) for _ in range(n)]


def created_ago(order: Order, minutes: int) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    return order


def next_link(response) -> str:
    found = re.search(r'rel="next" href="([^"]+)"', response.content.decode())
    return URL + found.group(1).replace("&amp;", "&") if found else ""


def prev_link(response) -> str:
    found = re.search(r'rel="prev" href="([^"]+)"', response.content.decode())
    return URL + found.group(1).replace("&amp;", "&") if found else ""


def test_orders_are_listed_newest_first_with_what_staff_need_to_see(staff_client):
    old, new = made(
        2,
        link="https://instagram.com/p/abc",
        charge=Decimal("1.5"),
        currency="USD",
        remains=40,
        status=Status.IN_PROGRESS,
    )
    created_ago(old, 60)
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert row_ids(response) == [new.pk, old.pk]
    page = response.content.decode()
    assert f'href="/orders/{new.pk}/"' in page
    assert "https://instagram.com/p/abc" in page
    assert 'max="100" value="60"' in page  # delivered 60 of 100
    assert "1.50 USD" in page
    assert "Instagram Followers" in page


def test_a_row_not_placed_shows_its_local_state_and_a_placed_one_its_status(staff_client):
    service = make_service()
    make_order(service, state=LocalState.UNVERIFIED, upstream_id=None)
    make_order(service, status=Status.IN_PROGRESS)
    page = staff_client.get(URL).content.decode()
    assert '<span class="badge unverified">Unverified</span>' in page
    assert '<span class="badge in_progress">In progress</span>' in page


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ({"status": "completed"}, "completed"),
        ({"state": "rejected"}, "rejected"),
        ({"type": "Poll"}, "poll"),
        ({"q": "instagram.com/p/needle"}, "needle"),
        ({"service": "Likes"}, "likes"),
    ],
)
def test_each_filter_keeps_only_the_orders_that_match(staff_client, query, wanted):
    service = make_service()
    likes = make_service(service.provider, name="Instagram Likes")
    poll = make_service(service.provider, type="Poll")
    orders = {
        "completed": make_order(service, status=Status.COMPLETED),
        "rejected": make_order(service, state=LocalState.REJECTED, upstream_id=None),
        "poll": make_order(poll),
        "needle": make_order(service, link="https://instagram.com/p/needle"),
        "likes": make_order(likes),
        "other": make_order(service, status=Status.PENDING),
    }
    assert row_ids(staff_client.get(URL, query)) == [orders[wanted].pk]


def test_the_provider_filter_and_the_service_id(staff_client):
    mine = make_service(make_provider(name="Mine"), upstream_id=777)
    theirs = make_service(make_provider(name="Theirs"))
    wanted, other = make_order(mine), make_order(theirs)
    assert row_ids(staff_client.get(URL, {"provider": mine.provider_id})) == [wanted.pk]
    assert row_ids(staff_client.get(URL, {"service": "777"})) == [wanted.pk]
    assert other.pk not in row_ids(staff_client.get(URL, {"service": "777"}))


def test_a_number_finds_our_id_or_the_upstream_id(staff_client):
    service = make_service()
    ours = make_order(service, upstream_id=5)
    upstream = make_order(service, upstream_id=ours.pk + 1000)
    make_order(service)
    assert row_ids(staff_client.get(URL, {"q": str(ours.pk)})) == [ours.pk]
    assert row_ids(staff_client.get(URL, {"q": f"#{ours.pk + 1000}"})) == [upstream.pk]


def test_the_date_range_includes_both_days(staff_client):
    today, two_days, week = made(3)
    created_ago(two_days, 2 * 24 * 60)
    created_ago(week, 7 * 24 * 60)
    day = timezone.localdate()
    query = {"created_from": str(day - timedelta(days=2)), "created_to": str(day)}
    assert row_ids(staff_client.get(URL, query)) == [today.pk, two_days.pk]
    query = {"created_to": str(day - timedelta(days=3))}
    assert row_ids(staff_client.get(URL, query)) == [week.pk]


def test_an_end_date_before_the_start_says_so_beside_the_field(staff_client):
    made(1)
    response = staff_client.get(URL, {"created_from": "2026-05-02", "created_to": "2026-05-01"})
    page = response.content.decode()
    assert "The end date is before the start date." in page
    assert 'class="field has-error"' in page
    assert len(row_ids(response)) == 1  # the wrong field is not applied


def test_a_filter_value_that_is_not_a_choice_is_reported(staff_client):
    response = staff_client.get(URL, {"status": "bogus"})
    assert "Select a valid choice" in response.content.decode()


def test_sorting_by_charge_puts_orders_without_a_charge_last(staff_client):
    service = make_service()
    cheap = make_order(service, charge=Decimal("0.0045"))
    dear = make_order(service, charge=Decimal("12.5"))
    none = make_order(service, charge=None)
    assert row_ids(staff_client.get(URL, {"sort": "-charge"})) == [dear.pk, cheap.pk, none.pk]
    assert row_ids(staff_client.get(URL, {"sort": "charge"})) == [none.pk, cheap.pk, dear.pk]


def test_sorting_by_status_groups_statuses_newest_first_within(staff_client):
    service = make_service()
    done_old = created_ago(make_order(service, status=Status.COMPLETED), 10)
    pending = make_order(service, status=Status.PENDING)
    done_new = make_order(service, status=Status.COMPLETED)
    assert row_ids(staff_client.get(URL, {"sort": "status"})) == [
        done_new.pk,
        done_old.pk,
        pending.pk,
    ]


def test_the_sorted_column_says_so_and_links_to_the_other_direction(staff_client):
    page = staff_client.get(URL, {"sort": "-charge"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert "?sort=charge" in page


@pytest.mark.parametrize("sort", ["-created", "created", "-charge", "charge", "status"])
def test_pages_follow_each_other_without_repeating_or_skipping(staff_client, sort):
    service = make_service()
    orders = made(120, service)
    at = timezone.now()  # many share a timestamp: the id breaks the tie
    Order.objects.filter(pk__in=[o.pk for o in orders[:70]]).update(created_at=at)
    Order.objects.filter(pk__in=[o.pk for o in orders[::3]]).update(charge=Decimal("2"))
    Order.objects.filter(pk__in=[o.pk for o in orders[::4]]).update(status=Status.COMPLETED)
    first = staff_client.get(URL, {"sort": sort})
    second = staff_client.get(next_link(first))
    third = staff_client.get(next_link(second))
    pages = [row_ids(first), row_ids(second), row_ids(third)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len({pk for page in pages for pk in page}) == 120
    assert not next_link(third)
    assert row_ids(staff_client.get(prev_link(third))) == pages[1]
    assert row_ids(staff_client.get(prev_link(second))) == pages[0]


def test_a_long_list_says_50_plus_instead_of_counting(staff_client):
    made(51)
    assert "50+ orders" in staff_client.get(URL).content.decode()


def test_an_empty_result_says_nothing_matches(staff_client):
    made(2)
    page = staff_client.get(URL, {"q": "nothing-like-this"}).content.decode()
    assert "No orders match these filters." in page


def test_a_short_list_shows_its_size_and_no_pager(staff_client):
    made(3)
    page = staff_client.get(URL).content.decode()
    assert "3 orders" in page
    assert 'rel="next"' not in page
    assert 'rel="prev"' not in page


def test_a_cursor_that_is_not_ours_shows_the_first_page(staff_client):
    orders = made(3)
    assert row_ids(staff_client.get(URL, {"after": "not-a-cursor"})) == [
        o.pk for o in reversed(orders)
    ]


def test_no_page_counts_the_whole_table(staff_client):
    made(60)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(URL)
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_the_page_costs_the_same_queries_for_5_or_60_orders(client_as, operator):
    client = client_as(operator)
    service = make_service()
    made(5, service, status=Status.IN_PROGRESS)
    query = {"provider": service.provider_id, "sort": "-charge", "q": "instagram"}
    with CaptureQueriesContext(connection) as few:
        client.get(URL, query)
    made(55, service, status=Status.COMPLETED)
    made(5, make_service(make_provider()))
    with CaptureQueriesContext(connection) as many:
        assert len(row_ids(client.get(URL, query))) == 50
    assert len(few) == len(many) <= 8


def test_a_viewer_sees_no_selection_boxes_and_an_operator_does(client_as, viewer, operator):
    made(2)
    assert 'name="order"' not in client_as(viewer).get(URL).content.decode()
    page = client_as(operator).get(URL).content.decode()
    assert page.count('name="order"') == 2
    assert "Refill selected" in page and "Cancel selected" in page


def test_the_export_link_keeps_the_filters(staff_client):
    page = staff_client.get(URL, {"status": "completed", "after": "x"}).content.decode()
    assert 'href="/orders/export.csv?status=completed"' in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
