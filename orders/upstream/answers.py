"""Decoded JSON answers → typed records, one reader per action.

Readers raise InvalidAnswer when the answer as a whole has the wrong shape. In a batch
answer, one unreadable or refused item becomes an ItemError for that id and the other
items are kept; every id that was asked for gets a value, missing ones included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from functools import partial
from typing import Any, Literal

from . import parse
from .errors import Failure, InvalidAnswer, KeyRefused, ProviderRejected, excerpt, refuses_key
from .records import Balance, ItemError, OrderStatus, Reason, RefillStatus, ServiceRecord

SERVICE_FIELDS = frozenset(
    {"service", "name", "type", "category", "rate", "min", "max", "refill", "cancel"}
    | {"dripfeed", "desc", "description"}
)
STATUS_FIELDS = frozenset({"charge", "start_count", "status", "remains", "currency"})
MISSING = ItemError("the provider's answer has no entry for this id", Reason.UNKNOWN)


def error_text(payload: object) -> str | None:
    """The text of a `{"error": ...}` answer, or None when the payload is not one."""
    if not isinstance(payload, dict) or not payload.get("error"):
        return None
    value = payload["error"]
    return value if isinstance(value, str) else excerpt(value)


def rejection(action: str, payload: object, http_status: int | None = None) -> ProviderRejected:
    """The refusal in `{"error": text}`: KeyRefused when the key or account is refused."""
    text = error_text(payload) or ""
    reason = parse.parse_reason(text)
    kind = KeyRefused if refuses_key(reason, action) else ProviderRejected
    return kind(text, action=action, reason=reason, http_status=http_status)


def invalid(action: str, payload: object, why: str) -> InvalidAnswer:
    return InvalidAnswer(
        f"{action}: unexpected answer ({why})",
        action=action,
        reason=Failure.BAD_SHAPE,
        excerpt=excerpt(payload),
    )


def read_services(payload: object) -> list[ServiceRecord | ItemError]:
    """The catalogue; a service that cannot be read (a rate out of range...) is an ItemError
    in its place, with its id when readable. A list of nothing readable is not a catalogue."""
    if not isinstance(payload, list):
        raise invalid("services", payload, "expected a list of services")
    records: list[ServiceRecord | ItemError] = []
    for index, item in enumerate(payload):
        try:
            records.append(service_record(item))
        except ValueError as exc:
            service_id = _id_or_none(item.get("service")) if isinstance(item, dict) else None
            message = f"service #{index + 1}: {exc}"[:300]
            records.append(ItemError(message, Reason.UNKNOWN, excerpt(item), service_id))
    errors = [record for record in records if isinstance(record, ItemError)]
    if payload and len(errors) == len(records):
        raise invalid("services", payload[0], f"no service readable; {errors[0].message}")
    return records


def service_record(item: object) -> ServiceRecord:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    description = item.get("desc", item.get("description"))
    raw = parse.plain_json(item)
    return ServiceRecord(
        service_id=_named(item, "service", parse.parse_id),
        name=parse.parse_text(item.get("name")),
        type=parse.parse_text(item.get("type")),
        category=parse.parse_text(item.get("category")),
        rate=_named(item, "rate", parse.parse_money),
        min=_named(item, "min", parse.parse_count),
        max=_named(item, "max", parse.parse_count),
        refill=parse.parse_flag(item.get("refill")),
        cancel=parse.parse_flag(item.get("cancel")),
        dripfeed=parse.parse_flag(item.get("dripfeed")),
        description=description if isinstance(description, str) else "",
        extra={k: v for k, v in raw.items() if k not in SERVICE_FIELDS},
        raw=raw,
    )


def read_order_id(payload: object) -> int:
    if not isinstance(payload, dict) or "error" in payload:
        raise invalid("add", payload, "expected {order: id}")
    return _field(payload, "order", parse.parse_id, "add")


def read_status(payload: object) -> OrderStatus:
    try:
        return order_status(payload)
    except ValueError as exc:
        raise invalid("status", payload, str(exc)) from exc


def order_status(item: object) -> OrderStatus:
    if not isinstance(item, dict):
        raise ValueError("not an object")
    raw_status = item.get("status")
    if not isinstance(raw_status, str):
        raise ValueError(f"status is not text: {raw_status!r}")
    return OrderStatus(
        status=parse.parse_status(raw_status),
        raw_status=raw_status,
        charge=_named(item, "charge", parse.parse_optional_money),
        start_count=_named(item, "start_count", parse.parse_optional_count),
        # Negative when the provider over-delivered (the protocol allows it).
        remains=_named(item, "remains", parse.parse_optional_int),
        currency=parse.parse_text(item.get("currency")),
        extra=status_extra(item),
    )


def status_extra(item: Mapping[str, Any]) -> dict[str, Any]:
    """Fields beyond the status ones; known counts and child ids normalised when readable."""
    extra = parse.plain_json({k: v for k, v in item.items() if k not in STATUS_FIELDS})
    readers: dict[str, Callable[[object], object]] = {
        "orders": parse.parse_id_list,
        "posts": parse.parse_int,
        "old_posts": parse.parse_int,
        "runs": parse.parse_int,
        "runs_done": parse.parse_int,
        "interval": parse.parse_int,
    }
    for name, reader in readers.items():
        if name in extra:
            # Kept as sent when unreadable: an odd extra must not hide the order's status.
            with suppress(ValueError):
                extra[name] = reader(extra[name])
    return extra


def read_statuses(payload: object, ids: Iterable[int]) -> dict[int, OrderStatus | ItemError]:
    if not isinstance(payload, dict):
        raise invalid("status", payload, "expected an object keyed by order id")
    by_id = {_id_or_none(key): value for key, value in payload.items()}
    return {order_id: _item(by_id, order_id, order_status) for order_id in ids}


def read_refill_id(payload: object) -> int:
    if isinstance(payload, dict) and error_text(payload.get("refill")) is not None:
        raise rejection("refill", payload["refill"])
    if not isinstance(payload, dict):
        raise invalid("refill", payload, "expected {refill: id}")
    return _field(payload, "refill", parse.parse_id, "refill")


def read_refills(payload: object, ids: Iterable[int]) -> dict[int, int | ItemError]:
    by_id = _index(payload, "order", "refill", action="refill")
    return {order_id: _item(by_id, order_id, parse.parse_id) for order_id in ids}


def read_refill_status(payload: object) -> RefillStatus:
    if isinstance(payload, dict) and error_text(payload.get("status")) is not None:
        raise rejection("refill_status", payload["status"])
    if not isinstance(payload, dict):
        raise invalid("refill_status", payload, "expected {status: text}")
    return _field(payload, "status", refill_status, "refill_status")


def refill_status(value: object) -> RefillStatus:
    if not isinstance(value, str):
        raise ValueError(f"status is not text: {value!r}")
    return RefillStatus(status=parse.parse_refill_status(value), raw_status=value)


def read_refill_statuses(
    payload: object, ids: Iterable[int]
) -> dict[int, RefillStatus | ItemError]:
    by_id = _index(payload, "refill", "status", action="refill_status")
    return {refill_id: _item(by_id, refill_id, refill_status) for refill_id in ids}


def read_cancels(payload: object, ids: Iterable[int]) -> dict[int, Literal[True] | ItemError]:
    by_id = _index(payload, "order", "cancel", action="cancel")
    return {order_id: _item(by_id, order_id, cancel_accepted) for order_id in ids}


def cancel_accepted(value: object) -> Literal[True]:
    if not parse.parse_flag(value):
        raise ValueError(f"cancel not accepted: {value!r}")
    return True


def read_balance(payload: object) -> Balance:
    if not isinstance(payload, dict):
        raise invalid("balance", payload, "expected {balance, currency}")
    # Signed: some panels let an account run into credit.
    amount = _field(payload, "balance", partial(parse.parse_money, signed=True), "balance")
    currency = _field(payload, "currency", parse.parse_text, "balance")
    return Balance(amount=amount, currency=currency)


def _field[T](payload: dict[str, Any], name: str, reader: Callable[[object], T], action: str) -> T:
    try:
        return reader(payload.get(name))
    except ValueError as exc:
        raise invalid(action, payload, f"{name}: {exc}") from exc


def _named[T](item: Mapping[str, Any], name: str, reader: Callable[[object], T]) -> T:
    """Read one field of an item; an error names the field."""
    try:
        return reader(item.get(name))
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from exc


def _index(payload: object, id_key: str, value_key: str, *, action: str) -> dict[int | None, Any]:
    """A list of `{id_key: id, value_key: value}` → {id: value}; an item-level error is kept."""
    if not isinstance(payload, list):
        raise invalid(action, payload, f"expected a list of {{{id_key}, {value_key}}}")
    by_id: dict[int | None, Any] = {}
    for item in payload:
        if isinstance(item, dict):
            value = item.get(value_key, item if "error" in item else None)
            by_id[_id_or_none(item.get(id_key))] = value
    if not any(key is not None for key in by_id):
        # Nothing in it answers any id: the answer as a whole is not what was asked for.
        raise invalid(action, payload, f"no {{{id_key}, {value_key}}} entry for any id")
    return by_id


def _item[T](
    by_id: Mapping[int | None, Any], key: int, reader: Callable[[object], T]
) -> T | ItemError:
    if key not in by_id:
        return MISSING
    value = by_id[key]
    text = error_text(value)
    if text is not None:
        return ItemError(text, parse.parse_reason(text))
    try:
        return reader(value)
    except ValueError as exc:
        message = f"unreadable answer for this id: {exc}"[:300]
        return ItemError(message, Reason.UNKNOWN, raw=excerpt(value))


def _id_or_none(value: object) -> int | None:
    try:
        return parse.parse_id(value)
    except ValueError:
        return None
