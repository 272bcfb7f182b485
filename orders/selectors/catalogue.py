"""Reads for the catalogue: search and filters over every provider's services.

"New", "changed" and "removed" are relative to each provider's last catalogue sync: the sync
stamps the services it touched and the provider with one and the same time.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext

from orders.models import Markup, Provider, Service, ServiceChange
from orders.money import money_text
from orders.upstream import order_type_for

HISTORY_ROWS = 20


@dataclass(frozen=True)
class ServiceFilter:
    q: str = ""
    provider: Provider | None = None
    category: str = ""
    type: str = ""
    refill: bool | None = None
    cancel: bool | None = None
    enabled: bool | None = None
    since_sync: str = ""  # "", new, changed, removed, gone, current


SINCE_SYNC = {
    # First seen by the provider's last sync.
    "new": Q(first_seen_at__gte=F("provider__catalogue_synced_at")),
    # Changed by the last sync, and neither new then nor gone since.
    "changed": Q(changed_at__gte=F("provider__catalogue_synced_at"), removed_at__isnull=True)
    & Q(first_seen_at__lt=F("provider__catalogue_synced_at")),
    "removed": Q(removed_at__gte=F("provider__catalogue_synced_at")),
    "gone": Q(removed_at__isnull=False),
    "current": Q(removed_at__isnull=True),
}


def service_search(filters: ServiceFilter) -> QuerySet[Service]:
    """Matching services with their provider (selling prices need its default markup)."""
    services = Service.objects.select_related("provider")
    if filters.q:
        text = filters.q.strip()
        match = Q(name__icontains=text) | Q(category__icontains=text)
        if _is_id(text):
            match |= Q(upstream_id=int(text))
        services = services.filter(match)
    if filters.provider is not None:
        services = services.filter(provider=filters.provider)
    if filters.category:
        services = services.filter(category=filters.category)
    if filters.type:
        services = services.filter(type=filters.type)
    for name in ("refill", "cancel", "enabled"):
        value = getattr(filters, name)
        if value is not None:
            services = services.filter(**{name: value})
    if filters.since_sync in SINCE_SYNC:
        services = services.filter(SINCE_SYNC[filters.since_sync])
    return services.order_by("provider__name", "category", "upstream_id", "pk")


def service_categories() -> list[str]:
    """Every category of every provider: a filter that never goes stale with the provider."""
    categories = Service.objects.exclude(category="").order_by("category")
    return list(categories.values_list("category", flat=True).distinct())


def service_types() -> list[str]:
    types = Service.objects.order_by("type").values_list("type", flat=True).distinct()
    return list(types)


def service_detail(pk: int) -> Service:
    return Service.objects.select_related("provider").get(pk=pk)


@dataclass(frozen=True)
class HistoryRow:
    change: ServiceChange
    old_rate: str
    new_rate: str


def service_history(service: Service) -> list[HistoryRow]:
    """The latest rate and bounds changes seen by syncs, newest first."""
    changes = service.changes.order_by("-seen_at", "-pk")[:HISTORY_ROWS]
    return [HistoryRow(c, money_text(c.old_rate), money_text(c.new_rate)) for c in changes]


def type_is_known(type_name: str) -> bool:
    return order_type_for(type_name) is not None


def sync_mark(service: Service) -> str:
    """'new', 'changed', 'removed' relative to the provider's last sync, or ''."""
    synced = service.provider.catalogue_synced_at
    if service.removed_at is not None:
        return "removed" if synced and service.removed_at >= synced else "gone"
    if synced is None:
        return ""
    if service.first_seen_at >= synced:
        return "new"
    if service.changed_at and service.changed_at >= synced:
        return "changed"
    return ""


def markup_text(service: Service) -> str:
    """The markup that applies: the service's own, or the provider's default (said so)."""
    own = bool(service.markup_kind) and service.markup_value is not None
    if own:
        kind, value = service.markup_kind, service.markup_value
    else:
        kind = service.provider.default_markup_kind
        value = service.provider.default_markup_value
    value = value if value is not None else Decimal(0)
    if kind == Markup.PERCENT:
        text = f"+{value.normalize():f}%"
    else:
        text = f"+{money_text(value, service.provider.currency)}"
    return text if own else gettext("%(markup)s (provider default)") % {"markup": text}


def _is_id(text: str) -> bool:
    """ASCII digits that fit a bigint: "①" and "²" are digits to str.isdigit, not to int()."""
    return text.isascii() and text.isdigit() and len(text) < 19
