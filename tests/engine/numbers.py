"""A provider that answers with the numbers a test gives it, and the pages that show them.

The network edge only: the client, the readers and the writers are the real ones.
"""

import io
import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
from django.contrib.auth import get_user_model

from orders.models import Order, Provider, Service
from tests.factories import make_provider, make_service

API_URL = "https://provider.example/api/v2"


class Answering(requests.adapters.BaseAdapter):
    """Answers each action with the JSON text set for it (`bodies["status"] = "{...}"`)."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: dict[str, str] = {}

    def send(self, request, **kwargs):  # type: ignore[override]
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        action = parse_qs(body or "")["action"][0]
        response = requests.Response()
        response.status_code = 200
        response.raw = io.BytesIO(self.bodies[action].encode())
        response.request, response.url = request, request.url
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def upstream(db, settings) -> Answering:
    adapter = Answering()
    session = requests.Session()
    session.mount("https://", adapter)
    settings.PROVIDER_TRANSPORT = session
    return adapter


@pytest.fixture
def answering_provider(upstream) -> Provider:
    return make_provider(api_url=API_URL, rate_limit_per_minute=6000)


def statuses(answers: dict[int, Any]) -> str:
    """A batch status answer: {upstream id: item}."""
    return json.dumps({str(k): v for k, v in answers.items()})


def service_item(service_id: Any, **fields: Any) -> dict[str, Any]:
    item = {
        "service": service_id,
        "name": "Followers",
        "type": "Default",
        "category": "Instagram",
        "rate": "0.90",
        "min": "50",
        "max": "10000",
    }
    return item | fields


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser(username="root", password="root-pass-1")
    client.force_login(user)
    return client


def pages(*, order: Order | None = None, service: Service | None = None) -> list[str]:
    """Every page that shows stored money or counts, for everyone who may see them."""
    paths = [
        "/",
        "/orders/",
        "/orders/live/",
        "/orders/export.csv",
        "/orders/new/",
        "/orders/new/services/?q=Followers",
        "/catalogue/",
        "/providers/",
        "/system/",
        "/refills/",
        "/admin/orders/order/",
        "/admin/orders/service/",
        "/admin/orders/provider/",
    ]
    if order is not None:
        paths += [f"/orders/{order.pk}/", f"/admin/orders/order/{order.pk}/change/"]
    if service is not None:
        paths += [f"/catalogue/{service.pk}/", f"/admin/orders/service/{service.pk}/change/"]
    return paths


def assert_pages_render(client, **shown: Any) -> None:
    for path in pages(**shown):
        response = client.get(path)
        assert response.status_code == 200, path


def a_service(provider: Provider, **fields: Any) -> Service:
    return make_service(provider, **({"rate": Decimal("0.90")} | fields))
