"""Catalogue sync: one `services` call, an upsert keyed by (provider, upstream id), in bulk.

Nothing is written for a service that did not change; a service gone upstream is marked
removed (its orders stay tracked) and unmarked if it comes back.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from orders.models import Provider, Service, ServiceChange
from orders.services.polling import update_rows
from orders.services.providers import provider_check_usable, provider_client
from orders.services.throttle import throttle_require
from orders.upstream import ServiceRecord

# The fields a sync owns; staff-owned fields (enabled, markup) are never touched.
SYNCED_FIELDS = (
    "name",
    "type",
    "category",
    "rate",
    "min_quantity",
    "max_quantity",
    "refill",
    "cancel",
    "dripfeed",
    "description",
    "raw",
)


@dataclass
class CatalogueSyncResult:
    created: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def writes(self) -> int:
        return self.created + self.changed + self.removed

    def __str__(self) -> str:
        return (
            f"{self.created} new, {self.changed} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged"
        )


def service_fields(record: ServiceRecord) -> dict[str, Any]:
    """Map an upstream service record onto Service fields (pure)."""
    return {
        "name": record.name[:500],
        "type": record.type[:100],
        "category": record.category[:300],
        "rate": record.rate,
        "min_quantity": record.min,
        "max_quantity": record.max,
        "refill": record.refill,
        "cancel": record.cancel,
        "dripfeed": record.dripfeed,
        "description": record.description,
        "raw": record.raw,
    }


def catalogue_sync(*, provider: Provider) -> CatalogueSyncResult:
    provider_check_usable(provider)
    throttle_require(provider)
    records = provider_client(provider).services()
    return catalogue_apply(provider=provider, records=records)


def catalogue_apply(*, provider: Provider, records: list[ServiceRecord]) -> CatalogueSyncResult:
    now = timezone.now()
    result = CatalogueSyncResult()
    existing = {s.upstream_id: s for s in Service.objects.filter(provider=provider)}
    new, changed, history = [], [], []
    for record in records:
        fields = service_fields(record)
        service = existing.pop(record.service_id, None)
        if service is None:
            new.append(
                Service(
                    provider=provider,
                    upstream_id=record.service_id,
                    first_seen_at=now,
                    last_seen_at=now,
                    **fields,
                )
            )
            continue
        differs = [name for name in SYNCED_FIELDS if getattr(service, name) != fields[name]]
        if not differs and service.removed_at is None:
            result.unchanged += 1
            continue
        if {"rate", "min_quantity", "max_quantity"} & set(differs):
            history.append(_change(service, fields, now))
        for name in differs:
            setattr(service, name, fields[name])
        service.removed_at = None
        service.changed_at = service.last_seen_at = now
        changed.append(service)
    gone = [s.pk for s in existing.values() if s.removed_at is None]
    with transaction.atomic():
        Service.objects.bulk_create(new, batch_size=1000)
        update_rows(changed, [*SYNCED_FIELDS, "removed_at", "changed_at", "last_seen_at"])
        ServiceChange.objects.bulk_create(history, batch_size=1000)
        if gone:
            Service.objects.filter(pk__in=gone).update(removed_at=now, changed_at=now)
        Provider.objects.filter(pk=provider.pk).update(catalogue_synced_at=now)
    result.created, result.changed, result.removed = len(new), len(changed), len(gone)
    return result


def _change(service: Service, fields: dict[str, Any], now) -> ServiceChange:
    return ServiceChange(
        service=service,
        seen_at=now,
        old_rate=service.rate,
        new_rate=fields["rate"],
        old_min=service.min_quantity,
        new_min=fields["min_quantity"],
        old_max=service.max_quantity,
        new_max=fields["max_quantity"],
    )
