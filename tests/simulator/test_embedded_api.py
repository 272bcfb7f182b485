"""The embedded provider at /simulator/api/v2: what `make run` talks to, with no login."""

from django.test import Client


def test_it_answers_a_form_post_with_no_login_and_no_csrf_token(sim, sim_key):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/simulator/api/v2", {"key": sim_key, "action": "balance"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"balance": "1000.00000", "currency": "USD"}


def test_it_answers_a_get_like_real_panels_do(sim, client, sim_key):
    response = client.get("/simulator/api/v2", {"key": sim_key, "action": "balance"})
    assert (response.status_code, response.json()) == (200, {"error": "Incorrect request"})


def test_it_refuses_an_unknown_action(sim, client, sim_key):
    response = client.post("/simulator/api/v2", {"key": sim_key, "action": "withdraw"})
    assert response.json() == {"error": "Incorrect request"}


def test_it_answers_with_a_trailing_slash_too(sim, client, sim_key):
    response = client.post("/simulator/api/v2/", {"key": sim_key, "action": "balance"})
    assert response.json()["currency"] == "USD"
