"""Home's "Needs a person": our services a catalogue sync took off sale, until staff act."""

import html as html_text
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.services.offers import GONE, losing_reason
from orders.services.catalogue import catalogue_sync
from simulator.models import SimService
from tests.customers.accounts import make_offer

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return html_text.unescape(response.content.decode())


@pytest.fixture
def followers(provider, catalogue):
    """Our service over the simulator's followers (0.90 per 1000), sold at 1.80."""
    service = provider.services.get(upstream_id=1)
    return make_offer(service, name="IG Followers", rate=Decimal("1.80"))


def test_a_service_the_sync_took_off_sale_needs_a_person_with_its_reason(
    provider, followers, client_as, admin_user
):
    SimService.objects.filter(service_id=1).update(rate=Decimal("2.25"))
    catalogue_sync(provider=provider)
    html = page(client_as(admin_user))
    reason = losing_reason(Decimal("2.25"), Decimal("1.80"), "USD")
    assert '">1</span> Our service taken off sale' in " ".join(html.split())
    entry = (
        f'<a href="/customers/services/{followers.pk}/">Our service #{followers.pk} '
        f"IG Followers</a> taken off sale: "
        f'<span class="muted small">{reason}</span>'
    )
    assert entry in html
    assert "Nothing needs a person right now." not in html


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_someone_who_may_not_change_our_services_is_led_to_it_in_the_list(
    provider, followers, client_as, role, request
):
    SimService.objects.filter(service_id=1).update(active=False)
    catalogue_sync(provider=provider)
    html = page(client_as(request.getfixturevalue(role)))
    assert f'<a href="/customers/services/?q={followers.pk}">Our service #{followers.pk}' in html
    assert f'taken off sale: <span class="muted small">{GONE}</span>' in html


def test_a_service_put_back_on_sale_no_longer_needs_a_person(
    provider, followers, client_as, admin_user
):
    SimService.objects.filter(service_id=1).update(rate=Decimal("2.25"))
    catalogue_sync(provider=provider)
    client = client_as(admin_user)
    assert f"Our service #{followers.pk}" in page(client)
    followers.rate = Decimal("3.00")  # staff raise our rate, then put it back on sale
    followers.save()
    client.post(f"/customers/services/{followers.pk}/enabled/", {"enabled": "1"})
    html = page(client)
    assert f"Our service #{followers.pk}" not in html
    assert "Nothing needs a person right now." in html


def test_a_service_staff_took_off_sale_themselves_needs_no_one(followers, client_as, viewer):
    followers.enabled, followers.disabled_at = False, timezone.now()
    followers.save()
    html = page(client_as(viewer))
    assert "taken off sale" not in html
    assert "Nothing needs a person right now." in html


def test_the_newest_five_are_listed_and_all_are_counted(provider, catalogue, client_as, viewer):
    service = provider.services.get(upstream_id=1)
    offers = [make_offer(service, name=f"Ours {i}", rate=Decimal("0.50")) for i in range(7)]
    catalogue_sync(provider=provider)  # every one sells below its cost of 0.90
    html = " ".join(page(client_as(viewer)).split())
    assert '">7</span> Our services taken off sale' in html
    assert html.count("taken off sale: ") == 5
    listed = [offer for offer in offers if f"#{offer.pk} {offer.name}</a>" in html]
    assert listed == offers[2:]  # taken off at the same moment: the newest ids first
