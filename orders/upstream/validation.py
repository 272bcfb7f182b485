"""Checking an order's parameters against its type and its service before anything is sent.

`validate_order` reads the ORDER_TYPES table, cleans each field by its kind, applies the
type's quantity rule and returns errors keyed by field name ("__all__" for the order as a
whole), in words staff can act on, plus the cleaned parameters ready for `add`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .ordertypes import FieldKind, FieldSpec, OrderTypeSpec, QuantityRule, order_type_for

ALL = "__all__"
MAX_LINK = 2000
# "mailto:", "javascript:"... but not "example.com:8080/page" (a port follows the colon).
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?![0-9])", re.IGNORECASE)
_INT_TEXT = re.compile(r"[+-]?\d{1,18}", re.ASCII)
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # the API's d/m/Y, and what a date input posts


@dataclass(frozen=True, slots=True)
class ValidationResult:
    errors: dict[str, list[str]]
    params: dict[str, str | int]  # cleaned: ProviderClient.add(service, **params)
    # The units the order buys, which its charge covers: quantity * runs with drip-feed, the
    # line count for list types; None for packages and subscriptions.
    quantity: int | None
    spec: OrderTypeSpec | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(ValueError):
    pass


def validate_order(
    type_name: str,
    params: Mapping[str, Any],
    *,
    min_qty: int,
    max_qty: int,
    dripfeed: bool = True,
    today: date | None = None,
) -> ValidationResult:
    """Check `params` for a service of type `type_name` taking min_qty..max_qty units.

    `dripfeed=False` refuses runs/interval. Unknown types are reported, never guessed.
    """
    spec = order_type_for(type_name)
    if spec is None:
        error = f"Order type '{type_name.strip()}' is not supported yet"
        return ValidationResult({ALL: [error]}, {}, None)
    check = _Check(spec, params, today or date.today())
    check.fields(dripfeed)
    check.unexpected()
    _RULES[spec.quantity_rule](check, min_qty, max_qty)
    return ValidationResult(check.errors, check.cleaned, check.quantity, spec)


@dataclass
class _Check:
    spec: OrderTypeSpec
    params: Mapping[str, Any]
    today: date
    errors: dict[str, list[str]] = field(default_factory=dict)
    cleaned: dict[str, str | int] = field(default_factory=dict)
    quantity: int | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def fields(self, dripfeed: bool) -> None:
        for spec in self.spec.fields:
            self.field(spec, dripfeed)
        if "runs" in self.cleaned and "interval" not in self.cleaned:
            self.error("interval", "interval is required with runs (drip-feed)")
        if "interval" in self.cleaned and "runs" not in self.cleaned:
            self.error("runs", "runs is required with an interval (drip-feed)")

    def field(self, spec: FieldSpec, dripfeed: bool) -> None:
        raw = self.params.get(spec.name)
        condition = self.condition(spec)
        if _blank(raw):
            if spec.required or condition is True:
                self.error(spec.name, f"{_name(spec)} is required{self.when(spec)}")
            return
        if spec.dripfeed and not dripfeed:
            self.error(spec.name, f"this service has no drip-feed: leave {_name(spec)} empty")
        elif condition is False:
            self.error(spec.name, f"{_name(spec)} is only used{self.when(spec)}")
        else:
            try:
                self.cleaned[spec.name] = _CLEANERS[spec.kind](spec, raw, self.today)
            except _Invalid as exc:
                self.error(spec.name, str(exc))

    def condition(self, spec: FieldSpec) -> bool | None:
        """For a conditional field: is its condition met? None when unconditional or unknown."""
        if spec.required_when is None:
            return None
        other, value = spec.required_when
        if other not in self.cleaned:
            return None
        return self.cleaned[other] == value

    def when(self, spec: FieldSpec) -> str:
        if spec.required_when is None:
            return ""
        other, value = spec.required_when
        other_spec = self.spec.field(other)
        label = dict(other_spec.choices).get(value, "") if other_spec else ""
        other_name = _name(other_spec) if other_spec else other
        return f" when {other_name} is {value}" + (f" ({label})" if label else "")

    def unexpected(self) -> None:
        known = {f.name for f in self.spec.fields} | {"service"}
        if self.spec.quantity_rule is QuantityRule.LINES:
            known.add("quantity")  # checked against the line count by the rule
        for name, value in self.params.items():
            if name not in known and not _blank(value):
                self.error(name, f"{name} is not used by {self.spec.name} orders")


def _range(check: _Check, min_qty: int, max_qty: int) -> None:
    quantity, runs = check.cleaned.get("quantity"), check.cleaned.get("runs")
    if not isinstance(quantity, int):
        return
    if not min_qty <= quantity <= max_qty:
        check.error("quantity", f"quantity must be between {min_qty} and {max_qty}")
        return
    total = quantity * runs if isinstance(runs, int) else quantity
    if total > max_qty:
        check.error(
            "runs",
            f"{runs} runs of {quantity} make {total}, more than the service's maximum of {max_qty}",
        )
    check.quantity = total


def _lines(check: _Check, min_qty: int, max_qty: int) -> None:
    spec = check.spec.field(check.spec.count_field)
    lines = check.cleaned.get(check.spec.count_field)
    if spec is None or not isinstance(lines, str):
        return
    count = len(lines.split("\n"))
    given = f"{check.spec.name}: {count} {spec.item}{'' if count == 1 else 's'} given"
    if count < min_qty:
        check.error(spec.name, f"{given}, the service needs at least {min_qty}")
    elif count > max_qty:
        check.error(spec.name, f"{given}, the service takes at most {max_qty}")
    stated = check.params.get("quantity")
    if not _blank(stated) and str(stated).strip() != str(count):
        check.error(
            "quantity",
            f"quantity is the number of {spec.item}s ({count}): leave it empty or make it match",
        )
    check.quantity = count


def _subscription(check: _Check, min_qty: int, max_qty: int) -> None:
    low, high = check.cleaned.get("min"), check.cleaned.get("max")
    for name, value in (("min", low), ("max", high)):
        spec = check.spec.field(name)
        if spec and isinstance(value, int) and not min_qty <= value <= max_qty:
            check.error(name, f"{_name(spec)} must be between {min_qty} and {max_qty}")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        check.error("max", "the maximum per post must not be less than the minimum")


def _no_quantity(check: _Check, min_qty: int, max_qty: int) -> None:
    check.quantity = None


_RULES: dict[QuantityRule, Callable[[_Check, int, int], None]] = {
    QuantityRule.RANGE: _range,
    QuantityRule.LINES: _lines,
    QuantityRule.SUBSCRIPTION: _subscription,
    QuantityRule.NONE: _no_quantity,
}


def _clean_text(spec: FieldSpec, raw: object, today: date) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise _Invalid(f"{_name(spec)} must be a single text value")
    text = str(raw).strip()
    problem = spec.check(text) if spec.check else None
    if problem:
        raise _Invalid(f"{_name(spec)} must be {problem}")
    return text


def _clean_link(spec: FieldSpec, raw: object, today: date) -> str:
    """A link as panels take it: an http(s) URL, or a bare address or handle.

    Real services accept "instagram.com/name" or "@name" for some types, so a scheme is not
    required; but anything with one must be http(s) with a host (no "mailto:", no
    "javascript:"), and no spaces are allowed.
    """
    text = _clean_text(spec, raw, today)
    if len(text) > MAX_LINK:
        raise _Invalid(
            f"{_name(spec)} must be at most {MAX_LINK:,} characters (it has {len(text):,})"
        )
    if any(c.isspace() for c in text):
        raise _Invalid(f"{_name(spec)} must be one address without spaces")
    scheme = _SCHEME.match(text)
    if scheme or "://" in text:
        name, _, rest = text.partition("://")
        if name.lower() not in {"http", "https"} or not rest.split("/")[0]:
            raise _Invalid(f"{_name(spec)} must be an http:// or https:// address")
    return text


def _clean_int(spec: FieldSpec, raw: object, today: date) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _INT_TEXT.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        raise _Invalid(f"{_name(spec)} must be a whole number")
    if spec.min_value is not None and value < spec.min_value:
        raise _Invalid(f"{_name(spec)} must be at least {spec.min_value}")
    return value


def _clean_lines(spec: FieldSpec, raw: object, today: date) -> str:
    return "\n".join(_lines_of(raw))


def _clean_choice(spec: FieldSpec, raw: object, today: date) -> str:
    text = str(raw).strip().casefold()
    for value, label in spec.choices:
        if text in (value.casefold(), label.casefold()):
            return value
    options = ", ".join(
        value if label.startswith(value) else f"{value} ({label})" for value, label in spec.choices
    )
    raise _Invalid(f"{_name(spec)} must be one of: {options}")


def _clean_date(spec: FieldSpec, raw: object, today: date) -> str:
    day = raw if isinstance(raw, date) else _date_from(str(raw).strip())
    if day is None:
        raise _Invalid(f"{_name(spec)} must be a date as day/month/year, such as 31/12/2026")
    if isinstance(day, datetime):
        day = day.date()
    if day < today:
        raise _Invalid(f"{_name(spec)} must not be in the past")
    return day.strftime("%d/%m/%Y")


_CLEANERS: dict[FieldKind, Callable[[FieldSpec, object, date], str | int]] = {
    FieldKind.TEXT: _clean_text,
    FieldKind.LINK: _clean_link,
    FieldKind.INT: _clean_int,
    FieldKind.LINES: _clean_lines,
    FieldKind.CHOICE: _clean_choice,
    FieldKind.DATE: _clean_date,
}


def _date_from(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _lines_of(raw: object) -> list[str]:
    """Non-empty, trimmed lines from text (any line ending) or a list of strings."""
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [line.strip() for item in items for line in str(item).splitlines() if line.strip()]


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | tuple):
        return not _lines_of(value)
    return False


def _name(spec: FieldSpec) -> str:
    """The label as it reads inside a sentence: "Answer number" → "answer number"."""
    return spec.label[:1].lower() + spec.label[1:]
