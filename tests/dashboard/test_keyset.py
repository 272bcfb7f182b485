"""Keyset pages (orders.keyset): every row once, in order, forwards and backwards, ties split
by id, and any cursor that is not ours read as the first page."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from orders.keyset import (
    ID,
    Key,
    Sort,
    cursor_decode,
    cursor_encode,
    keyset_page,
    parse_moment,
)
from orders.models import ApiCall
from tests.factories import make_provider

pytestmark = pytest.mark.django_db

NEWEST = Sort((Key("at", True, parse_moment), ID))
START = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def calls_at(*moments: datetime) -> list[ApiCall]:
    """Calls at these instants (`at` is set on create, so it is written after)."""
    provider = make_provider()
    made = []
    for at in moments:
        call = ApiCall.objects.create(provider=provider, action="status", outcome="ok")
        ApiCall.objects.filter(pk=call.pk).update(at=at)
        call.at = at
        made.append(call)
    return made


def newest_first(calls: list[ApiCall]) -> list[int]:
    return [c.pk for c in sorted(calls, key=lambda c: (c.at, c.pk), reverse=True)]


def walk_forwards(size: int) -> list[list[int]]:
    pages, cursor = [], ""
    while True:
        page = keyset_page(ApiCall.objects.all(), NEWEST, after=cursor, size=size)
        pages.append([c.pk for c in page.rows])
        if not page.has_more:
            return pages
        cursor = page.next_cursor


def test_pages_walk_every_row_once_in_order():
    calls = calls_at(*(START - timedelta(minutes=i) for i in range(23)))
    pages = walk_forwards(size=10)
    assert [len(p) for p in pages] == [10, 10, 3]
    assert [pk for page in pages for pk in page] == newest_first(calls)


def test_rows_at_the_same_instant_are_split_by_id_not_lost_or_repeated():
    calls = calls_at(*([START] * 7))
    pages = walk_forwards(size=3)
    assert [pk for page in pages for pk in page] == newest_first(calls)


def test_going_back_from_a_page_gives_the_page_before_it():
    calls_at(*(START - timedelta(minutes=i) for i in range(12)))
    rows = ApiCall.objects.all()
    first = keyset_page(rows, NEWEST, size=4)
    second = keyset_page(rows, NEWEST, after=first.next_cursor, size=4)
    third = keyset_page(rows, NEWEST, after=second.next_cursor, size=4)
    back = keyset_page(rows, NEWEST, before=third.prev_cursor, size=4)
    assert [c.pk for c in back.rows] == [c.pk for c in second.rows]
    assert back.next_cursor == second.next_cursor and back.prev_cursor


def test_going_back_past_the_start_lands_on_the_first_page():
    calls_at(*(START - timedelta(minutes=i) for i in range(6)))
    rows = ApiCall.objects.all()
    first = keyset_page(rows, NEWEST, size=4)
    second = keyset_page(rows, NEWEST, after=first.next_cursor, size=4)
    back = keyset_page(rows, NEWEST, before=second.prev_cursor, size=4)
    assert [c.pk for c in back.rows] == [c.pk for c in first.rows]
    assert back.prev_cursor == ""  # the first page says so


def test_the_reversed_sort_walks_oldest_first():
    calls = calls_at(*(START + timedelta(seconds=i) for i in range(5)))
    page = keyset_page(ApiCall.objects.all(), NEWEST.reversed(), size=10)
    assert [c.pk for c in page.rows] == [c.pk for c in calls]
    assert not page.has_more


def test_a_cursor_keeps_times_to_the_microsecond_and_decimals_exactly():
    sort = Sort((Key("at", True, parse_moment), Key("charge", True, Decimal), ID))
    values = [START, Decimal("0.00012345"), 42]
    assert cursor_decode(cursor_encode(values), sort) == values


@pytest.mark.parametrize(
    "junk", ["abc", "12_5", "W10", "WyJ4Il0", "bnVsbA", "eyJhIjogMX0", "😀", "WyIxIiwiMiJd"]
)
def test_a_cursor_that_is_not_ours_means_the_first_page(junk):
    calls = calls_at(*(START - timedelta(minutes=i) for i in range(3)))
    assert cursor_decode(junk, NEWEST) is None
    page = keyset_page(ApiCall.objects.all(), NEWEST, after=junk, before=junk)
    assert [c.pk for c in page.rows] == newest_first(calls)
