"""Each reason a provider refuses an order, as staff will see it (local checks passed)."""

from decimal import Decimal

import pytest

from orders.models import LocalState, Service
from orders.services.placement import order_place, order_submit
from orders.upstream import Reason
from simulator.models import SimAccount, SimService

pytestmark = pytest.mark.django_db


def submit(service: Service, link="https://instagram.com/p/a", quantity=100):
    order = order_place(service=service, params={"link": link, "quantity": quantity})
    order_submit(order.pk)
    order.refresh_from_db()
    return order


def test_insufficient_funds(default_service):
    SimAccount.objects.update(balance=Decimal("0.00001"))
    order = submit(default_service)
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.INSUFFICIENT_FUNDS)


def test_an_active_order_with_the_same_link(default_service):
    assert submit(default_service).state == LocalState.PLACED
    order = submit(default_service)
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.DUPLICATE_LINK)


def test_a_wrong_api_key_is_no_refusal_of_the_order(provider, default_service):
    provider.api_key = "not-the-right-key"
    provider.save()
    order = submit(default_service)
    assert (order.state, order.rejection_reason) == (LocalState.QUEUED, "")
    provider.refresh_from_db()
    assert provider.key_refused


def test_a_service_withdrawn_upstream_since_the_last_sync(default_service):
    SimService.objects.filter(service_id=default_service.upstream_id).delete()
    order = submit(default_service)
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.BAD_SERVICE)


def test_bounds_raised_upstream_since_the_last_sync(default_service):
    SimService.objects.filter(service_id=default_service.upstream_id).update(min_quantity=5000)
    order = submit(default_service, quantity=100)
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.BAD_QUANTITY)


def test_a_link_the_provider_does_not_accept(default_service):
    order = submit(default_service, link="@someone")
    assert (order.state, order.rejection_reason) == (LocalState.REJECTED, Reason.BAD_LINK)
    assert order.rejection_message  # the provider's own words, shown to staff
