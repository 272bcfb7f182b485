"""Every catalogue sync reviews our services: one whose provider service is gone, disabled or
now costs more than we sell it for is taken off sale with its reason; nothing else moves."""

from decimal import Decimal

import pytest

from customers.models import Offer
from customers.services.offers import DISABLED, GONE, losing_reason
from customers.services.ordering import customer_order
from orders.models import AuditEntry, Service
from orders.services.catalogue import catalogue_sync
from orders.services.placement import OrderInvalid
from simulator.models import SimService
from tests.customers.accounts import make_customer, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(provider, catalogue) -> tuple[Offer, Offer]:
    """Two of our services on the synced catalogue, each sold at twice its cost."""
    followers, likes = (provider.services.get(upstream_id=n) for n in (1, 3))
    return (
        make_offer(followers, name="Followers", rate=followers.rate * 2),
        make_offer(likes, name="Likes", rate=likes.rate * 2),
    )


def upstream(service: Service):
    return SimService.objects.filter(service_id=service.upstream_id)


def on_sale(offer: Offer) -> tuple[bool, str]:
    offer.refresh_from_db()
    return offer.enabled, offer.disabled_reason


def test_a_service_the_provider_withdrew_is_taken_off_sale(provider, offers):
    followers, likes = offers
    upstream(followers.service).update(active=False)  # no longer listed
    catalogue_sync(provider=provider)
    assert on_sale(followers) == (False, GONE)
    assert followers.disabled_at is not None
    assert on_sale(likes) == (True, "")
    with pytest.raises(OrderInvalid, match="Incorrect service ID"):
        customer_order(
            customer=make_customer("10"),
            offer_id=followers.pk,
            params={"link": "https://x.test/a", "quantity": 1000},
        )
    entry = AuditEntry.objects.get(action="our service off sale")
    assert (entry.target, entry.details["reason"]) == (f"our service #{followers.pk}", GONE)


def test_a_service_disabled_here_is_taken_off_sale_at_the_next_sync(provider, offers):
    followers, likes = offers
    Service.objects.filter(pk=followers.service_id).update(enabled=False)
    catalogue_sync(provider=provider)
    assert on_sale(followers) == (False, DISABLED)
    assert on_sale(likes) == (True, "")


def test_a_cost_risen_above_our_rate_takes_the_service_off_sale_with_both_figures(provider, offers):
    followers, likes = offers
    assert followers.rate == Decimal("1.8")  # the simulator's 0.90, sold at twice that
    upstream(followers.service).update(rate=followers.rate + Decimal("0.01"))
    upstream(likes.service).update(rate=likes.rate)  # risen, but not above what we sell at
    catalogue_sync(provider=provider)
    reason = losing_reason(followers.rate + Decimal("0.01"), followers.rate, "USD")
    assert on_sale(followers) == (False, reason)
    assert reason == "Its cost rose above our selling rate (1.81 against 1.8 USD per 1000)."
    assert on_sale(likes) == (True, "")


def test_a_sync_that_finds_nothing_new_changes_nothing(provider, offers):
    followers, _ = offers
    upstream(followers.service).update(active=False)
    catalogue_sync(provider=provider)
    before = list(Offer.objects.order_by("pk").values())
    for _ in range(2):
        catalogue_sync(provider=provider)
    assert list(Offer.objects.order_by("pk").values()) == before  # the time taken off kept
    assert AuditEntry.objects.filter(action="our service off sale").count() == 1


def test_staff_putting_a_service_back_on_sale_holds_until_the_next_problem(
    provider, offers, client_as, admin_user
):
    followers, _ = offers
    cost = followers.rate + Decimal("0.01")
    upstream(followers.service).update(rate=cost)
    catalogue_sync(provider=provider)
    assert on_sale(followers)[0] is False
    Offer.objects.filter(pk=followers.pk).update(rate=cost * 2)  # staff raise our rate
    answer = client_as(admin_user).post(
        f"/customers/services/{followers.pk}/enabled/", {"enabled": "1"}
    )
    assert answer.status_code == 302
    assert on_sale(followers) == (True, "")
    catalogue_sync(provider=provider)
    catalogue_sync(provider=provider)
    assert on_sale(followers) == (True, "")
    upstream(followers.service).update(rate=cost * 3)  # the next problem
    catalogue_sync(provider=provider)
    assert on_sale(followers) == (False, losing_reason(cost * 3, cost * 2, "USD"))


def test_the_first_cause_is_given_when_several_stand(provider, offers):
    followers, likes = offers
    Service.objects.filter(pk=likes.service_id).update(enabled=False)
    upstream(likes.service).update(rate=likes.rate * 2)  # and now sold below its cost
    upstream(followers.service).update(active=False, rate=followers.rate * 2)
    catalogue_sync(provider=provider)
    assert on_sale(followers) == (False, GONE)
    assert on_sale(likes) == (False, DISABLED)
