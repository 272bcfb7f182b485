"""What every request goes through: the key, the key's request limit, and bounds on what a
request may hold. Every answer is JSON."""

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.models import ApiKey
from customers.services.keys import key_issue
from tests.customers.accounts import make_customer
from tests.customers.api.client import API, answer, call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sent", ["", "not-a-key", "x" * 500])
def test_an_unknown_key_is_refused_with_http_200_like_the_seed(client, sent):
    assert answer(client, sent, "balance") == {"error": "Invalid API key"}


def test_a_customer_made_inactive_loses_the_api(client, customer, key):
    customer.active = False
    customer.save(update_fields=["active"])
    assert answer(client, key, "balance") == {"error": "Invalid API key"}


def test_an_unknown_or_missing_action_is_an_incorrect_request(client, key):
    assert answer(client, key, "delete_everything") == {"error": "Incorrect request"}
    assert answer(client, key, "") == {"error": "Incorrect request"}


def test_a_get_is_refused_even_with_a_good_key(client, key):
    response = client.get(API, {"key": key, "action": "balance"})
    assert response.json() == {"error": "Incorrect request"}


def test_the_key_is_marked_used(client, key):
    answer(client, key, "balance")
    assert ApiKey.objects.get().last_used_at is not None


def test_requests_past_the_keys_limit_are_told_when_to_come_back(client):
    customer = make_customer("10", rate_limit_per_minute=3)
    _, key = key_issue(customer=customer)
    for _ in range(3):
        assert call(client, key, "balance").status_code == 200
    response = call(client, key, "balance")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Too many requests"}
    assert response["Retry-After"] == "20"  # one request every 60/3 seconds


def test_the_limit_refills_as_time_passes(client):
    customer = make_customer("10", rate_limit_per_minute=3)
    _, key = key_issue(customer=customer)
    for _ in range(3):
        call(client, key, "balance")
    ApiKey.objects.update(bucket_at=timezone.now() - timedelta(seconds=21))
    assert call(client, key, "balance").status_code == 200
    assert call(client, key, "balance").status_code == 429


def test_each_key_has_its_own_limit(client):
    customer = make_customer("10", rate_limit_per_minute=1)
    _, first = key_issue(customer=customer)
    _, second = key_issue(customer=customer)
    assert call(client, first, "balance").status_code == 200
    assert call(client, first, "balance").status_code == 429
    assert call(client, second, "balance").status_code == 200


def test_a_body_over_64_kb_is_an_incorrect_request(client, key):
    response = client.post(API, {"key": key, "action": "status", "orders": "1," * 40_000})
    assert response.status_code == 200
    assert response.json() == {"error": "Incorrect request"}


def test_a_body_over_djangos_own_limit_is_still_answered_in_json(client, key):
    response = client.post(API, {"key": key, "action": "balance", "pad": "x" * 3_000_000})
    assert response.json() == {"error": "Incorrect request"}


def test_a_form_of_thousands_of_fields_is_an_incorrect_request(client, key):
    body = "&".join(f"f{n}=1" for n in range(2000)) + f"&key={key}&action=balance"
    response = client.post(API, body, content_type="application/x-www-form-urlencoded")
    assert response.json() == {"error": "Incorrect request"}


def test_a_nul_character_is_an_incorrect_request_not_a_page(client, key):
    response = client.post(API, {"key": key, "action": "balance\x00"})
    assert response.status_code == 200
    assert response.json() == {"error": "Incorrect request"}


def test_the_path_with_a_slash_is_the_same_endpoint(client, key):
    response = client.post(API + "/", {"key": key, "action": "balance"})
    assert response.json() == {"balance": "100.00000", "currency": "USD"}


def test_a_multipart_form_works_like_a_urlencoded_one(client, key):
    response = client.post(API, {"key": key, "action": "balance"})  # the test client's default
    assert response.json()["currency"] == "USD"
    body = f"key={key}&action=balance"
    response = client.post(API, body, content_type="application/x-www-form-urlencoded")
    assert response.json()["currency"] == "USD"
