"""Calling our API v2 from tests, as a client would: a form POST, a JSON answer."""

from typing import Any

API = "/api/v2"


def call(client, key: str, action: str, **fields: Any):
    """The response to one request; `fields` are sent as form fields, as text."""
    data = {"key": key, "action": action} | {k: str(v) for k, v in fields.items()}
    return client.post(API, data)


def answer(client, key: str, action: str, **fields: Any) -> Any:
    response = call(client, key, action, **fields)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()
