"""API keys: made here, shown once, kept only as a digest."""

import secrets
from datetime import timedelta

from django.utils import timezone

from customers.models import ApiKey, Customer
from customers.models.keys import key_digest
from orders.services.audit import audit_record

# last_used_at is written at most this often: a busy key does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


def key_issue(*, customer: Customer, label: str = "", actor=None) -> tuple[ApiKey, str]:
    """A new key for the customer; the raw key is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        customer=customer,
        label=label.strip()[:100],
        prefix=raw[:8],
        digest=key_digest(raw),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="api key issued",
        target=f"customer #{customer.pk}",
        key=f"{key.prefix}…",
        label=key.label,
    )
    return key, raw


def key_revoke(*, key: ApiKey, actor=None) -> bool:
    """Refuse the key from now on; False if it was already revoked."""
    revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            actor=actor,
            action="api key revoked",
            target=f"customer #{key.customer_id}",
            key=f"{key.prefix}…",
        )
    return bool(revoked)


def key_touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
