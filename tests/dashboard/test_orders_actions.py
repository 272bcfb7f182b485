"""The actions on one order's page: refill, cancel, and resolving an unverified order."""

import pytest
from django.contrib.messages import get_messages

from orders.models import (
    ApiCall,
    AuditEntry,
    CancelRequest,
    EventKind,
    LocalState,
    Order,
    Refill,
    Status,
)
from orders.services.polling import orders_poll
from orders.services.providers import provider_client
from tests.engine.helpers import make_all_due, placed, unverified_between
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db
TEN_DAYS = 10 * 24 * 3600


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def unverified_copy_of(order: Order) -> int:
    """Pretend the answer to `add` was lost: the order exists upstream, we hold no id."""
    upstream_id = order.upstream_id
    Order.objects.filter(pk=order.pk).update(
        state=LocalState.UNVERIFIED, upstream_id=None, next_check_at=None
    )
    return upstream_id


def test_refill_from_the_order_page(sim, provider, default_service, client_as, operator):
    [order] = placed(default_service, 1)
    sim.advance_clock(TEN_DAYS)
    make_all_due()
    orders_poll(provider=provider)
    response = client_as(operator).post(f"/orders/{order.pk}/refill/")
    assert response["Location"] == f"/orders/{order.pk}/"
    assert said(response)[0].startswith(f"#{order.pk}: Refill ")
    assert Refill.objects.get(order=order).requested_by == operator


def test_cancel_from_the_order_page(sim, provider, default_service, client_as, operator):
    [order] = placed(default_service, 1)
    response = client_as(operator).post(f"/orders/{order.pk}/cancel/", follow=True)
    assert f"#{order.pk}: Cancel accepted." in response.content.decode()
    assert CancelRequest.objects.get(order=order).accepted


def test_an_accepted_cancel_swaps_in_a_disabled_cancel_asked_button(
    sim, provider, default_service, client_as, operator
):
    [order] = placed(default_service, 1)
    client = client_as(operator)
    response = client.post(f"/orders/{order.pk}/cancel/", headers={"HX-Request": "true"})
    part = response.content.decode()
    assert response.status_code == 200
    assert part.lstrip().startswith('<div class="actions" id="order-actions"')
    assert '<button type="button" class="btn" disabled>Cancel asked</button>' in part
    assert ">Cancel</button>" not in part
    assert "Cancel accepted." in part
    assert "<html" not in part
    assert CancelRequest.objects.get(order=order).accepted
    page = client.get(f"/orders/{order.pk}/").content.decode()  # and on every render after
    assert "Cancel asked</button>" in page and ">Cancel</button>" not in page


def test_a_refused_cancel_keeps_the_button_and_says_why(client_as, operator):
    order = make_order(make_service(cancel=False), status=Status.IN_PROGRESS)
    response = client_as(operator).post(
        f"/orders/{order.pk}/cancel/", headers={"HX-Request": "true"}
    )
    part = response.content.decode()
    assert "The service does not allow cancelling." in part
    assert "Cancel asked" not in part


def test_refill_asks_for_confirmation_like_cancel(client_as, operator, staff_client):
    order = make_order(make_service(refill=True, cancel=True), status=Status.COMPLETED)
    page = client_as(operator).get(f"/orders/{order.pk}/").content.decode()
    assert 'data-confirm="Ask the provider to refill this order?">Refill</button>' in page
    listing = client_as(operator).get("/orders/").content.decode()
    assert 'data-confirm="Ask the provider to refill the selected orders?">' in listing


def test_a_refill_not_allowed_now_says_why(client_as, operator):
    order = make_order(make_service(), status=Status.IN_PROGRESS)
    response = client_as(operator).post(f"/orders/{order.pk}/refill/")
    assert said(response)[0] == (f"#{order.pk}: Refills are possible once the order is completed.")


def test_staff_confirm_the_upstream_id_of_an_unverified_order(
    sim, provider, default_service, client_as, operator
):
    [order] = placed(default_service, 1)
    upstream_id = unverified_copy_of(order)
    response = client_as(operator).post(
        f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": upstream_id}, follow=True
    )
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.PLACED, upstream_id)
    assert order.status  # verified with a status call
    page = response.content.decode()
    assert f"Confirmed: tracking upstream order {upstream_id}." in page
    assert f"Confirmed as upstream order {upstream_id}." in page  # on the timeline
    assert "Unverified: this order" not in page


def test_an_upstream_id_the_provider_does_not_know_is_refused_beside_the_field(
    sim, provider, default_service, client_as, operator
):
    [order] = placed(default_service, 1)
    unverified_copy_of(order)
    response = client_as(operator).post(
        f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": 99999999}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="field has-error"' in page
    assert f"{provider.name} has no order 99999999." in page
    assert 'value="99999999"' in page  # what was typed stays in the field
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED


def test_an_upstream_id_that_is_not_a_number_is_refused_beside_the_field(client_as, operator):
    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    response = client_as(operator).post(
        f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": "abc"}
    )
    page = response.content.decode()
    assert "Enter a whole number." in page
    assert 'class="field has-error"' in page


def test_staff_confirm_an_unverified_order_was_not_placed(client_as, operator):
    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    response = client_as(operator).post(f"/orders/{order.pk}/confirm-not-placed/", follow=True)
    order.refresh_from_db()
    assert order.state == LocalState.NOT_PLACED
    assert order.events.get(kind=EventKind.STAFF).actor == operator
    page = response.content.decode()
    assert "Marked as not placed: nothing was bought." in page
    assert "Confirmed not placed upstream: nothing was bought." in page


def test_resolving_an_order_that_is_not_unverified_is_refused(client_as, operator):
    order = make_order(make_service(), status=Status.IN_PROGRESS)
    response = client_as(operator).post(f"/orders/{order.pk}/confirm-not-placed/")
    assert said(response) == ["Only an unverified order can be resolved."]
    order.refresh_from_db()
    assert order.state == LocalState.PLACED


@pytest.mark.parametrize("action", ["refill", "cancel", "confirm-upstream", "confirm-not-placed"])
def test_a_viewer_cannot_act_on_an_order(client_as, viewer, action):
    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    response = client_as(viewer).post(f"/orders/{order.pk}/{action}/", {"upstream_id": 1})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED


def test_an_action_on_a_missing_order_is_404(client_as, operator):
    assert client_as(operator).post("/orders/999999/cancel/").status_code == 404


def test_the_unverified_panel_proposes_the_candidate_and_picking_it_tracks_the_order(
    sim, provider, default_service, client_as, operator
):
    order, issued = unverified_between(sim, default_service)
    client = client_as(operator)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert f'data-candidate="{issued}"' in page
    assert "Matches cost and id window" in page
    response = client.post(
        f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": issued}, follow=True
    )
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.PLACED, issued)
    assert f"Confirmed: tracking upstream order {issued}." in response.content.decode()


def test_an_id_of_another_submission_is_refused_with_why_and_attached_only_when_confirmed(
    sim, provider, default_service, client_as, operator
):
    order, _ = unverified_between(sim, default_service)
    stranger = provider_client(provider).add(
        default_service.upstream_id, link="https://x.com/other", quantity=700
    )
    client = client_as(operator)
    refused = client.post(f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": stranger})
    page = refused.content.decode()
    assert f"Upstream order {stranger} may be another submission" in page
    assert "to another submission: the ids around this one are" in page
    assert "this order should cost" in page
    assert f"Attach {stranger} anyway" in page
    order.refresh_from_db()
    assert order.state == LocalState.UNVERIFIED
    client.post(
        f"/orders/{order.pk}/confirm-upstream/", {"upstream_id": stranger, "despite": stranger}
    )
    order.refresh_from_db()
    assert (order.state, order.upstream_id) == (LocalState.PLACED, stranger)
    assert AuditEntry.objects.get(action="unverified confirmed").actor == operator


def test_a_viewer_sees_no_candidates_and_costs_no_status_call(
    sim, provider, default_service, client_as, viewer
):
    order, issued = unverified_between(sim, default_service)
    calls = ApiCall.objects.count()
    page = client_as(viewer).get(f"/orders/{order.pk}/").content.decode()
    assert f'data-candidate="{issued}"' not in page
    assert ApiCall.objects.count() == calls
