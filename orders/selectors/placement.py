"""Reads for placing orders: finding a service to order, and the services of a mass order."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from orders.models import Order, Provider, Service
from orders.money import money_text
from orders.upstream import OrderTypeSpec, order_type_for

SEARCH_LIMIT = 15
# A database id as typed: ASCII digits (str.isdigit() takes "²", int() does not), 64-bit.
UPSTREAM_ID = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class ServiceOption:
    """A service as the order pages show it: what it is, where from, what it costs."""

    service: Service

    @property
    def spec(self) -> OrderTypeSpec | None:
        return order_type_for(self.service.type)

    @property
    def currency(self) -> str:
        return self.service.provider.currency

    @property
    def rate_text(self) -> str:
        return money_text(self.service.rate, self.currency)

    @property
    def selling_text(self) -> str:
        return money_text(self.service.selling_rate(), self.currency)

    @property
    def unavailable(self) -> str:
        """Why the service cannot be ordered now ("" when it can)."""
        return service_unavailable(self.service)


def service_unavailable(service: Service) -> str:
    if service.removed_at is not None:
        return "removed from the provider's catalogue"
    if not service.enabled:
        return "disabled for ordering"
    if not service.provider.is_active:
        return f"from {service.provider.name}, which is switched off"
    return ""


def _orderable() -> QuerySet[Service]:
    return Service.objects.filter(
        enabled=True, removed_at__isnull=True, provider__is_active=True
    ).select_related("provider")


def service_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[ServiceOption]:
    """Orderable services matching every word of `query` by name, category, type, provider
    or upstream id (a number matches the id exactly, or a name containing it)."""
    words = query.split()
    if not words:
        return []
    matches = [_word(word) for word in words[:8]]
    found = _orderable().filter(reduce(and_, matches))
    return [ServiceOption(s) for s in found.order_by("provider__name", "upstream_id")[:limit]]


def _word(word: str) -> Q:
    match = (
        Q(name__icontains=word)
        | Q(category__icontains=word)
        | Q(type__icontains=word)
        | Q(provider__name__icontains=word)
    )
    digits = word.lstrip("#")
    if UPSTREAM_ID.fullmatch(digits):
        match |= Q(upstream_id=int(digits))
    return match


def service_for_order(pk: object) -> ServiceOption | None:
    """The service picked in the form (even if it cannot be ordered: the page says why)."""
    text = str(pk).strip()
    if not UPSTREAM_ID.fullmatch(text):  # also keeps ints too big for the database out
        return None
    service = Service.objects.select_related("provider").filter(pk=int(text)).first()
    return ServiceOption(service) if service else None


def services_by_upstream_id(
    upstream_ids: Iterable[int], *, provider: Provider | None = None
) -> dict[int, list[Service]]:
    """Every service with one of these upstream ids, in one query, grouped by the id."""
    found = Service.objects.filter(upstream_id__in=set(upstream_ids)).select_related("provider")
    if provider is not None:
        found = found.filter(provider=provider)
    grouped: dict[int, list[Service]] = defaultdict(list)
    for service in found.order_by("provider__name"):
        grouped[service.upstream_id].append(service)
    return grouped


def providers_for_mass_order() -> QuerySet[Provider]:
    return Provider.objects.filter(is_active=True).order_by("name")


def order_by_idempotency_key(key: str) -> Order | None:
    return Order.objects.filter(idempotency_key=key).first()


def orders_by_idempotency_key(keys: Iterable[str]) -> dict[str, int]:
    """The orders already placed under these keys: key → order id."""
    found = Order.objects.filter(idempotency_key__in=list(keys))
    return {key: pk for key, pk in found.values_list("idempotency_key", "pk") if key}


def orders_for_results(ids: Iterable[int]) -> dict[int, Order]:
    found = Order.objects.filter(pk__in=list(ids)).select_related("service", "provider")
    return {order.pk: order for order in found}
