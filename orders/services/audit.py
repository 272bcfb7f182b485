"""The audit trail: one call per action that moves money or changes access."""

from orders.models import AuditEntry


def audit_record(*, actor, action: str, target: str, **details) -> AuditEntry:
    """Record that `actor` did `action` to `target`; `details` must never hold a secret."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target=str(target)[:200],
        details={k: str(v) for k, v in details.items()},
    )
