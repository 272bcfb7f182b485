"""Small builders for the dashboard's models; each test says only what matters to it."""

from decimal import Decimal
from itertools import count

from django.utils import timezone

from orders.models import LocalState, Order, Provider, Service

_ids = count(1000)


def make_provider(**fields) -> Provider:
    key = fields.pop("api_key", "test-key-0123456789abcdef")
    provider = Provider(
        name=fields.pop("name", f"Provider {next(_ids)}"),
        api_url=fields.pop("api_url", "http://sim.test/simulator/api/v2"),
        currency=fields.pop("currency", "USD"),
        **fields,
    )
    provider.api_key = key
    provider.save()
    return provider


def make_service(provider: Provider | None = None, **fields) -> Service:
    now = timezone.now()
    defaults = {
        "upstream_id": next(_ids),
        "name": "Instagram Followers",
        "type": "Default",
        "category": "Instagram",
        "rate": Decimal("0.90"),
        "min_quantity": 50,
        "max_quantity": 10000,
        "refill": True,
        "cancel": True,
        "first_seen_at": now,
        "last_seen_at": now,
    }
    return Service.objects.create(provider=provider or make_provider(), **(defaults | fields))


def make_order(service: Service | None = None, **fields) -> Order:
    service = service or make_service()
    defaults = {
        "order_type": service.type,
        "link": "https://instagram.com/someone",
        "quantity": 100,
        "params": {"link": "https://instagram.com/someone", "quantity": 100},
        "state": LocalState.PLACED,
        "upstream_id": next(_ids),
        "next_check_at": timezone.now(),
    }
    return Order.objects.create(provider=service.provider, service=service, **(defaults | fields))
