"""The catalogue list: search, filters, since-last-sync marks, prices and pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders.models import Markup, Service
from orders.services.catalogue import catalogue_apply
from orders.upstream import ServiceRecord
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/catalogue/?{query}")
    assert response.status_code == 200
    return [row["service"].upstream_id for row in response.context["rows"]]


@pytest.fixture
def as_viewer(client_as, viewer):
    return client_as(viewer)


def test_search_matches_name_category_and_the_upstream_id(as_viewer):
    make_service(upstream_id=11, name="TikTok Views", category="TikTok")
    make_service(upstream_id=22, name="Followers", category="Instagram Stories")
    make_service(upstream_id=33, name="Likes", category="Facebook")
    assert listed(as_viewer, "q=tiktok") == [11]
    assert listed(as_viewer, "q=stories") == [22]
    assert listed(as_viewer, "q=33") == [33]


def test_filters_narrow_by_provider_category_type_and_flags(as_viewer):
    north, south = make_provider(name="North"), make_provider(name="South")
    make_service(north, upstream_id=1, type="Default", refill=True, cancel=False)
    make_service(north, upstream_id=2, type="Poll", refill=False, cancel=True, category="Polls")
    make_service(south, upstream_id=3, type="Default", refill=False, cancel=False, enabled=False)
    assert listed(as_viewer, f"provider={north.pk}") == [1, 2]
    assert listed(as_viewer, "category=Polls") == [2]
    assert listed(as_viewer, "type=Default") == [1, 3]
    assert listed(as_viewer, "refill=yes") == [1]
    assert listed(as_viewer, "cancel=yes") == [2]
    assert listed(as_viewer, "enabled=no") == [3]
    assert listed(as_viewer, "refill=no&cancel=no") == [3]


def test_a_filter_value_that_no_longer_exists_is_ignored_not_fatal(as_viewer):
    make_service(upstream_id=5)
    assert listed(as_viewer, "category=Gone&provider=999&refill=maybe") == [5]


def record(service_id, rate="1.00", **fields):
    base = {"name": f"Service {service_id}", "type": "Default", "category": "Instagram"}
    base |= {"rate": Decimal(rate), "min": 10, "max": 1000, "refill": False, "cancel": False}
    return ServiceRecord(
        service_id=service_id, dripfeed=False, raw={"service": service_id}, **(base | fields)
    )


def test_new_changed_and_removed_are_relative_to_the_providers_last_sync(as_viewer):
    provider = make_provider()
    catalogue_apply(provider=provider, records=[record(1), record(2), record(3), record(4)])
    catalogue_apply(
        provider=provider, records=[record(1), record(2, rate="1.50"), record(3), record(5)]
    )
    assert listed(as_viewer, "since_sync=new") == [5]
    assert listed(as_viewer, "since_sync=changed") == [2]
    assert listed(as_viewer, "since_sync=removed") == [4]
    catalogue_apply(provider=provider, records=[record(1), record(2, rate="1.50"), record(3)])
    assert listed(as_viewer, "since_sync=new") == []
    assert listed(as_viewer, "since_sync=removed") == [5]
    assert listed(as_viewer, "since_sync=gone") == [4, 5]
    assert listed(as_viewer, "since_sync=current") == [1, 2, 3]


def test_rows_show_rate_selling_price_markup_and_bounds(as_viewer):
    provider = make_provider(default_markup_kind=Markup.PERCENT, default_markup_value=Decimal(20))
    make_service(provider, rate=Decimal("2.5"), min_quantity=100, max_quantity=5000)
    make_service(
        provider,
        rate=Decimal("0.12345"),
        markup_kind=Markup.FIXED,
        markup_value=Decimal("0.5"),
    )
    html = as_viewer.get("/catalogue/").content.decode()
    assert "2.50 <span" in html and "<strong>3.00</strong>" in html
    assert "+20% (provider default)" in html
    assert "0.12345" in html and "<strong>0.62345</strong>" in html and "+0.50 USD" in html
    assert "100 – 5000" in html


def test_a_type_the_order_form_does_not_know_is_flagged(as_viewer):
    make_service(upstream_id=7, type="Quantum Likes")
    make_service(upstream_id=8, type="Default")
    html = as_viewer.get("/catalogue/").content.decode()
    assert html.count("unknown type</span>") == 1


def test_a_viewer_sees_state_but_no_switch(as_viewer):
    make_service(enabled=True)
    html = as_viewer.get("/catalogue/").content.decode()
    assert 'role="switch"' not in html and ">on</span>" in html


def test_an_admin_gets_a_switch_per_service(client_as, admin_user):
    make_service()
    html = client_as(admin_user).get("/catalogue/").content.decode()
    assert 'role="switch" aria-checked="true"' in html


def test_results_come_in_pages_of_fifty(as_viewer):
    provider = make_provider()
    now = timezone.now()
    Service.objects.bulk_create(
        Service(
            provider=provider,
            upstream_id=i,
            name=f"S{i}",
            type="Default",
            category="C",
            rate=Decimal(1),
            min_quantity=1,
            max_quantity=10,
            first_seen_at=now,
            last_seen_at=now,
        )
        for i in range(1, 121)
    )
    assert listed(as_viewer) == list(range(1, 51))
    assert listed(as_viewer, "page=3") == list(range(101, 121))
    assert listed(as_viewer, "page=99") == list(range(101, 121))


def test_htmx_asks_for_the_results_only(as_viewer):
    make_service()
    response = as_viewer.get(
        "/catalogue/?q=x", headers={"HX-Request": "true", "HX-Target": "catalogue-results"}
    )
    html = response.content.decode()
    assert "<table" in html and "<html" not in html and "<form" not in html.split("<table")[0]


def populate(providers: int, services: int) -> None:
    now = timezone.now() - timedelta(days=1)
    for _ in range(providers):
        provider = make_provider(catalogue_synced_at=now)
        Service.objects.bulk_create(
            Service(
                provider=provider,
                upstream_id=i,
                name=f"Service {i}",
                type="Default" if i % 3 else "Mystery",
                category=f"Category {i % 7}",
                rate=Decimal("1.25"),
                min_quantity=10,
                max_quantity=1000,
                first_seen_at=now,
                last_seen_at=now,
            )
            for i in range(services)
        )


def queries_for(client, query="") -> int:
    with CaptureQueriesContext(connection) as queries:
        listed(client, query)
    return len(queries)


@pytest.mark.parametrize("query", ["", "q=Service&since_sync=current&enabled=yes", "page=2"])
def test_a_page_costs_the_same_queries_for_a_small_and_a_large_catalogue(
    client_as, admin_user, django_assert_max_num_queries, query
):
    client = client_as(admin_user)
    populate(2, 60)
    small = queries_for(client, query)
    populate(4, 600)
    with django_assert_max_num_queries(small):
        listed(client, query)
    assert small <= 10


@pytest.mark.parametrize("text", ["①", "²", "9" * 30])
def test_a_search_for_odd_digits_or_a_huge_number_is_just_text(as_viewer, text):
    make_service(upstream_id=5, name="Plain")
    assert listed(as_viewer, f"q={text}") == []
