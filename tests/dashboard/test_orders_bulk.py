"""Select many on the list → refill or cancel: the provider is asked in batches and each
order's outcome is shown."""

import pytest
from django.contrib.messages import get_messages

from orders.models import AuditEntry, CancelRequest, Refill, RefillStatus, Service, Status
from orders.services.polling import orders_poll
from tests.engine.helpers import make_all_due, placed
from tests.factories import make_order, make_service

pytestmark = pytest.mark.django_db
TEN_DAYS = 10 * 24 * 3600


def completed(sim, provider, service, n):
    orders = placed(service, n)
    sim.advance_clock(TEN_DAYS)
    make_all_due()
    orders_poll(provider=provider)
    for order in orders:
        order.refresh_from_db()
        assert order.status == Status.COMPLETED
    return orders


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_refilling_a_selection_shows_each_orders_outcome(
    sim, provider, default_service, client_as, operator
):
    done = completed(sim, provider, default_service, 2)
    [running] = placed(default_service, 1)
    response = client_as(operator).post(
        "/orders/bulk/refill/",
        {"order": [o.pk for o in [*done, running]], "next": "/orders/?status=completed"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/orders/?status=completed"
    messages = said(response)
    assert any(m.startswith(f"#{done[0].pk}: Refill ") for m in messages)
    assert any(m.startswith(f"#{done[1].pk}: Refill ") for m in messages)
    assert f"#{running.pk}: Refills are possible once the order is completed." in messages
    assert "Refill requested for 2 of 3 orders." in messages
    assert Refill.objects.filter(status=RefillStatus.PENDING, requested_by=operator).count() == 2


def test_each_order_of_a_bulk_refill_is_audited_refused_ones_too(
    sim, provider, default_service, client_as, operator
):
    [done] = completed(sim, provider, default_service, 1)
    [running] = placed(default_service, 1)
    client_as(operator).post("/orders/bulk/refill/", {"order": [done.pk, running.pk]})
    entries = {e.target: e for e in AuditEntry.objects.filter(action="refill requested")}
    assert set(entries) == {f"order #{done.pk}", f"order #{running.pk}"}
    assert all(e.actor == operator and e.details["selection"] == "2" for e in entries.values())
    assert entries[f"order #{done.pk}"].details["ok"] == "yes"
    refused = entries[f"order #{running.pk}"].details
    assert (refused["ok"], refused["result"]) == (
        "no",
        "Refills are possible once the order is completed.",
    )


def test_the_outcomes_appear_on_the_list_after_the_redirect(
    sim, provider, default_service, client_as, operator
):
    [order] = completed(sim, provider, default_service, 1)
    client = client_as(operator)
    page = client.post("/orders/bulk/refill/", {"order": [order.pk]}, follow=True)
    text = page.content.decode()
    assert page.redirect_chain[-1][0] == "/orders/"
    assert f"#{order.pk}: Refill " in text
    assert "msg-success" in text


def test_cancelling_a_selection_cancels_the_running_and_explains_the_rest(
    sim, provider, catalogue, client_as, operator
):
    cancellable = Service.objects.filter(provider=provider, type="Default", cancel=True).first()
    fixed = Service.objects.filter(provider=provider, type="Default", cancel=False).first()
    [running] = placed(cancellable, 1)
    [no_cancel] = placed(fixed, 1)
    response = client_as(operator).post(
        "/orders/bulk/cancel/", {"order": [running.pk, no_cancel.pk]}
    )
    messages = said(response)
    assert f"#{running.pk}: Cancel accepted." in messages
    assert f"#{no_cancel.pk}: The service does not allow cancelling." in messages
    assert "Cancel accepted for 1 of 2 orders." in messages
    assert CancelRequest.objects.get(order=running).accepted


def test_a_refusal_from_the_provider_is_shown_for_its_order(
    sim, provider, default_service, client_as, operator
):
    [order] = completed(sim, provider, default_service, 1)
    client = client_as(operator)
    client.post("/orders/bulk/refill/", {"order": [order.pk]}, follow=True)  # shown, gone
    # The mirror believes the first refill ended; upstream it still runs, and says so.
    Refill.objects.update(status=RefillStatus.COMPLETED)
    again = said(client.post("/orders/bulk/refill/", {"order": [order.pk]}))
    assert again[0].startswith(f"#{order.pk}: Refused: ")
    assert again[1] == "Refill requested for 0 of 1 order."


def test_an_empty_selection_asks_for_one(client_as, operator):
    response = client_as(operator).post("/orders/bulk/refill/", {})
    assert said(response) == ["Select at least one order first."]
    assert response["Location"] == "/orders/"


def test_the_return_address_must_be_on_this_site(client_as, operator):
    response = client_as(operator).post(
        "/orders/bulk/cancel/", {"next": "https://evil.example/orders/"}
    )
    assert response["Location"] == "/orders/"


@pytest.mark.parametrize("action", ["refill", "cancel"])
def test_a_viewer_cannot_refill_or_cancel(client_as, viewer, action):
    order = make_order(make_service(), status=Status.COMPLETED)
    response = client_as(viewer).post(f"/orders/bulk/{action}/", {"order": [order.pk]})
    assert response.status_code == 403
    assert not Refill.objects.exists()
    assert not CancelRequest.objects.exists()


def test_the_actions_only_answer_post(client_as, operator):
    assert client_as(operator).get("/orders/bulk/refill/").status_code == 405
