from orders.models import EventKind, Order, OrderEvent


def event(order: Order, kind: EventKind, message: str, *, actor=None, **data) -> OrderEvent:
    """An unsaved timeline entry, for bulk_create by the caller."""
    return OrderEvent(order=order, kind=kind, message=message, actor=actor, data=data)


def event_record(order: Order, kind: EventKind, message: str, *, actor=None, **data) -> OrderEvent:
    entry = event(order, kind, message, actor=actor, **data)
    entry.save()
    return entry
