import re
from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Refill, RefillStatus
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db
URL = "/refills/"


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="refill-(\d+)"', response.content.decode())]


def link(response, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.content.decode())
    return URL + found.group(1).replace("&amp;", "&") if found else ""


def refills(n: int, **fields) -> list[Refill]:
    order = make_order(make_service(), link="https://instagram.com/p/refilled")
    return [Refill.objects.create(order=order, **fields) for _ in range(n)]


def test_refills_show_status_upstream_id_who_asked_and_their_order(staff_client, operator):
    [refill] = refills(1, upstream_id=4321, status=RefillStatus.IN_PROGRESS, requested_by=operator)
    page = staff_client.get(URL).content.decode()
    assert '<span class="badge in_progress">In progress</span>' in page
    assert '<span class="mono">4321</span>' in page
    assert ">operator</td>" in page
    assert f'href="/orders/{refill.order_id}/">#{refill.order_id}</a>' in page
    assert "https://instagram.com/p/refilled" in page


def test_a_refused_refill_shows_the_providers_message(staff_client):
    refills(1, status=RefillStatus.FAILED, error_message="Refill is disabled for this service")
    page = staff_client.get(URL).content.decode()
    assert "Refill is disabled for this service" in page
    assert '<span class="badge failed">Refused</span>' in page


def test_the_status_filter_keeps_only_that_status(staff_client):
    [pending] = refills(1, status=RefillStatus.PENDING)
    refills(2, status=RefillStatus.COMPLETED)
    assert row_ids(staff_client.get(URL, {"status": "pending"})) == [pending.pk]
    assert "Select a valid choice" in staff_client.get(URL, {"status": "x"}).content.decode()


def test_pages_are_newest_first_and_do_not_repeat(staff_client):
    made = refills(75)
    Refill.objects.filter(pk__in=[r.pk for r in made[:30]]).update(created_at=timezone.now())
    Refill.objects.filter(pk=made[-1].pk).update(created_at=timezone.now() - timedelta(days=1))
    first = staff_client.get(URL)
    second = staff_client.get(link(first, "next"))
    assert len(row_ids(first)) == 50 and len(row_ids(second)) == 25
    assert not set(row_ids(first)) & set(row_ids(second))
    assert row_ids(second)[-1] == made[-1].pk  # the oldest comes last
    assert not link(second, "next")
    assert row_ids(staff_client.get(link(second, "prev"))) == row_ids(first)


def test_an_empty_list_says_so(staff_client):
    assert "No refills match." in staff_client.get(URL).content.decode()


def test_the_page_costs_the_same_queries_for_5_or_60_refills(
    staff_client, django_assert_num_queries
):
    refills(5, requested_by=None)
    # Session, user, the refills with their orders, and the nav's two permission reads.
    with django_assert_num_queries(5):
        staff_client.get(URL)
    for _ in range(11):
        refills(5)
    with django_assert_num_queries(5):
        staff_client.get(URL)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
