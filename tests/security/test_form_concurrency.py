"""The same new-order form posted ten times at once gives one order (PostgreSQL, threads)."""

import re

import pytest
from django.db import connection
from django.test import Client

from orders.models import Order
from tests.factories import make_service
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers"
    ),
]


def test_ten_simultaneous_posts_of_one_form_place_one_order(operator):
    service = make_service(type="Default")
    browser = Client()
    browser.force_login(operator)
    page = browser.get(f"/orders/new/?service={service.pk}").content.decode()
    form = {
        "service": service.pk,
        "token": re.search(r'name="token" value="([^"]+)"', page)[1],
        "link": "https://instagram.com/p/once",
        "quantity": "500",
    }

    def post():
        client = Client()
        client.cookies = browser.cookies  # the same session, as ten clicks would be
        return client.post("/orders/new/", form)

    answers = at_once(post, 10)
    order = Order.objects.get()
    assert [a.status_code for a in answers] == [302] * 10
    assert {a["Location"] for a in answers} == {f"/orders/{order.pk}/"}
