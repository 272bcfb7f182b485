"""Placing an order from the form: server-side validation beside the fields, one order per
rendered form, POST/redirect/GET to the order's page."""

import re

import pytest

from orders.models import LocalState, Order
from orders.services import placement
from orders.services.placement import OrderInvalid, order_submit
from simulator.models import SimOrder
from tests.factories import make_service

pytestmark = pytest.mark.django_db
URL = "/orders/new/"


@pytest.fixture
def operator_client(client_as, operator):
    return client_as(operator)


def rendered_form(client, service) -> dict:
    """The hidden inputs of a freshly rendered form, as a browser would send them back."""
    page = client.get(f"{URL}?service={service.pk}").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    return {"service": service.pk, "token": token}


def field_block(page: str, name: str) -> str:
    """The .field div of one input, where its label, help and errors are."""
    start = page.rindex('<div class="field', 0, page.index(f'name="{name}"'))
    ends = [page.find(mark, start + 1) for mark in ('<div class="field', 'id="estimate"')]
    return page[start : min(end for end in ends if end > 0)]


def test_a_valid_order_is_queued_and_the_browser_goes_to_its_page(operator_client, operator):
    service = make_service(type="Default", dripfeed=True)
    data = rendered_form(operator_client, service) | {
        "link": "https://instagram.com/p/abc",
        "quantity": "500",
        "runs": "2",
        "interval": "15",
    }
    response = operator_client.post(URL, data)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.pk}/"
    assert order.state == LocalState.QUEUED
    assert order.params == {
        "link": "https://instagram.com/p/abc",
        "quantity": 500,
        "runs": 2,
        "interval": 15,
    }
    assert order.quantity == 1000
    assert order.placed_by == operator
    assert order.idempotency_key == f"new:{operator.pk}:{data['token']}"


def test_posting_the_same_form_twice_places_one_order(operator_client):
    service = make_service(type="Poll")
    data = rendered_form(operator_client, service) | {
        "link": "https://x.com/poll/1",
        "quantity": "100",
        "answer_number": "2",
    }
    first = operator_client.post(URL, data)
    second = operator_client.post(URL, data)
    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/orders/{Order.objects.get().pk}/"


def test_two_rendered_forms_place_two_orders(operator_client):
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    for _ in range(2):
        operator_client.post(URL, rendered_form(operator_client, service) | {"link": "x.com/p"})
    assert Order.objects.count() == 2


def test_errors_are_shown_beside_their_fields(operator_client):
    service = make_service(type="Default", min_quantity=50, max_quantity=10000)
    data = rendered_form(operator_client, service) | {"link": "", "quantity": "10"}
    response = operator_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Order.objects.exists()
    quantity = field_block(page, "quantity")
    assert "has-error" in quantity
    assert (
        '<ul class="errorlist" id="id_quantity_error"><li>Quantity must be between 50 and 10000'
        in quantity
    )
    assert 'aria-invalid="true"' in quantity
    assert 'aria-describedby="id_quantity_helptext id_quantity_error"' in quantity
    assert "Link is required" in field_block(page, "link")
    assert 'value="10"' in quantity  # what was typed is kept


def test_a_link_too_long_is_refused_for_its_length_not_for_spaces(operator_client):
    service = make_service(type="Default")
    link = "https://x.com/" + "a" * 2000
    data = rendered_form(operator_client, service) | {"link": link, "quantity": "100"}
    page = operator_client.post(URL, data).content.decode()
    assert not Order.objects.exists()
    errors = field_block(page, "link")
    assert "Link must be at most 2,000 characters (it has 2,014)" in errors
    assert "spaces" not in errors
    assert link in errors  # what was typed is kept, to be shortened


def test_the_first_field_to_fix_takes_the_focus(operator_client):
    service = make_service(type="Poll")
    data = rendered_form(operator_client, service) | {"link": "https://x.com/p", "quantity": "100"}
    page = operator_client.post(URL, data).content.decode()
    assert "autofocus" in field_block(page, "answer_number")
    assert "autofocus" not in field_block(page, "link")


def test_a_form_shown_again_with_errors_keeps_its_token(operator_client):
    service = make_service(type="Default")
    data = rendered_form(operator_client, service) | {"link": "https://x.com/p", "quantity": "1"}
    page = operator_client.post(URL, data).content.decode()
    assert f'name="token" value="{data["token"]}"' in page
    operator_client.post(URL, data | {"quantity": "100"})
    operator_client.post(URL, data | {"quantity": "100"})
    assert Order.objects.count() == 1


def test_errors_about_the_whole_order_are_shown_at_the_top(operator_client, monkeypatch):
    def refuse(**kwargs):
        raise OrderInvalid({"__all__": ["this service is not available for ordering"]})

    monkeypatch.setattr("orders.views.placement.order_place", refuse)
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    data = rendered_form(operator_client, service) | {"link": "x.com/p"}
    page = operator_client.post(URL, data).content.decode()
    top = page[page.index('id="order-form"') : page.index('class="form-grid')]
    assert '<ul class="errorlist nonfield"><li>This service is not available for ordering' in top


def test_a_form_without_its_token_is_refused_and_given_a_new_one(operator_client):
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    page = operator_client.post(URL, {"service": service.pk, "link": "x.com/p"}).content.decode()
    assert not Order.objects.exists()
    assert "The form was incomplete" in page
    assert re.search(r'name="token" value="[A-Za-z0-9_-]{32}"', page)


def test_a_service_of_an_unknown_type_cannot_be_ordered(operator_client):
    service = make_service(type="Custom Reactions")
    data = {"service": service.pk, "token": "a" * 32, "link": "x.com/p", "quantity": "100"}
    page = operator_client.post(URL, data).content.decode()
    assert not Order.objects.exists()
    assert "is not supported yet" in page


def test_a_disabled_service_cannot_be_ordered(operator_client):
    service = make_service(type="Package", enabled=False, min_quantity=1, max_quantity=1)
    data = {"service": service.pk, "token": "a" * 32, "link": "x.com/p"}
    page = operator_client.post(URL, data).content.decode()
    assert not Order.objects.exists()
    assert "disabled for ordering" in page


def test_posting_for_a_service_that_does_not_exist_is_404(operator_client):
    assert operator_client.post(URL, {"service": 424242, "token": "a" * 32}).status_code == 404


def test_the_queued_order_reaches_the_simulated_provider(operator_client, default_service):
    data = rendered_form(operator_client, default_service) | {
        "link": "https://instagram.com/p/sim",
        "quantity": "1000",
    }
    operator_client.post(URL, data)
    order = Order.objects.get()
    order_submit(order.pk)  # what the task does once the request's transaction commits
    order.refresh_from_db()
    assert order.state == LocalState.PLACED
    assert SimOrder.objects.get(pk=order.upstream_id).quantity == 1000


def test_the_submission_is_queued_after_the_request_commits(
    operator_client, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(placement.queue, "send", lambda name, *args: sent.append((name, args)))
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    data = rendered_form(operator_client, service) | {"link": "x.com/p"}
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(URL, data)
    assert sent == [("orders.tasks.submit_order", (Order.objects.get().pk,))]


def test_viewers_may_not_post_orders(client_as, viewer):
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    data = {"service": service.pk, "token": "a" * 32, "link": "x.com/p"}
    assert client_as(viewer).post(URL, data).status_code == 403
    assert not Order.objects.exists()


def test_the_order_page_says_the_order_was_queued(operator_client):
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    data = rendered_form(operator_client, service) | {"link": "x.com/p"}
    page = operator_client.post(URL, data, follow=True).content.decode()
    order = Order.objects.get()
    assert f"Order #{order.pk} is queued for {service.provider.name}." in page


def test_a_second_post_of_the_form_says_it_was_already_sent(operator_client):
    service = make_service(type="Package", min_quantity=1, max_quantity=1)
    data = rendered_form(operator_client, service) | {"link": "x.com/p"}
    operator_client.post(URL, data)
    page = operator_client.post(URL, data, follow=True).content.decode()
    assert "This form was already sent: here is the order it placed." in page
