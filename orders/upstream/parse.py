"""Pure normalisation of upstream values: ids, money, counts, flags, statuses, error texts.

Each function takes one decoded JSON value and returns a Python value or raises ValueError.
Panels disagree on types (`"50"` or `50`, `true` or `"1"`), so all of that is settled here
and nowhere else.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any

from .records import OrderState, Reason, RefillState

# Beyond this a value is not an id or a count; it also keeps int(Decimal) from blowing up.
# It is the top of a BigIntegerField, where ids and counts are stored.
MAX_INT = 2**63 - 1
# Money is stored in money_field columns (24 digits, 8 of them decimals) and kept at 8 places,
# rounded half up, as PostgreSQL rounds a numeric. An amount must stay under 10^15: one whole
# digit below the column's 16, because SQLite keeps 15 significant digits and an amount that
# rounds up to 10^16 there can no longer be read back into the column.
MONEY_PLACES = 8
MONEY_LIMIT = Decimal(10) ** 15
# The largest amount read: SQLite keeps a fraction as a binary float, in which 999...9.99
# (15 nines) rounds up to the limit itself; every amount up to this one stays under it.
MONEY_MAX = MONEY_LIMIT - 1
_MONEY_STEP = Decimal(1).scaleb(-MONEY_PLACES)
_WIDE = Context(prec=40)
_DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?", re.ASCII)
_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "n", "off", ""})


def parse_decimal(value: object) -> Decimal:
    """Money from its text (`"0.27819"`, `8`, `0.9`), never through a binary float."""
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text that round-trips, not the binary
    elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
        number = Decimal(value.strip())
    else:
        raise ValueError(f"not an amount: {value!r}")
    if not number.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return number


def parse_optional_decimal(value: object) -> Decimal | None:
    return None if _blank(value) else parse_decimal(value)


def parse_money(value: object, *, signed: bool = False) -> Decimal:
    """An amount a money column can hold, at its 8 places; negative only when `signed`."""
    number = parse_decimal(value)
    if number.copy_abs() < MONEY_LIMIT:
        number = number.quantize(_MONEY_STEP, rounding=ROUND_HALF_UP, context=_WIDE) + 0
    if number.copy_abs() > MONEY_MAX:
        raise ValueError(f"amount out of range: {value!r}")
    if number < 0 and not signed:
        raise ValueError(f"negative amount: {value!r}")
    return number


def parse_optional_money(value: object) -> Decimal | None:
    return None if _blank(value) else parse_money(value)


def parse_int(value: object) -> int:
    """A whole number from `50`, `"50"`, `"50.0"` or `50.0`; negatives kept."""
    # The common spellings (`50`, `"50"`) without a Decimal: a catalogue has 20,000 of them.
    if type(value) is int and -MAX_INT <= value <= MAX_INT:
        return value
    if type(value) is str:
        digits = value.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            return int(digits)
    number = parse_decimal(value)
    if number.adjusted() > 18:
        raise ValueError(f"number too large: {value!r}")
    try:
        whole = number.to_integral_exact()
    except InvalidOperation as exc:  # pragma: no cover - finite values always convert
        raise ValueError(f"not a whole number: {value!r}") from exc
    if whole != number or abs(int(whole)) > MAX_INT:
        raise ValueError(f"not a whole number: {value!r}")
    return int(whole)


def parse_optional_int(value: object) -> int | None:
    return None if _blank(value) else parse_int(value)


def parse_count(value: object) -> int:
    """A count that cannot be negative (a start count, a service's min or max)."""
    number = parse_int(value)
    if number < 0:
        raise ValueError(f"negative count: {value!r}")
    return number


def parse_optional_count(value: object) -> int | None:
    return None if _blank(value) else parse_count(value)


def parse_id(value: object) -> int:
    """An upstream id (service, order, refill): a JSON integer or a text of ASCII digits only
    (not `"1e5"`, `"1.0"`, `"+5"`, `" 5"` or `"²"`), from 1 to the top of a BigIntegerField."""
    if type(value) is int:
        number = value
    elif type(value) is str and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        raise ValueError(f"not an id: {value!r}")
    if not 0 < number <= MAX_INT:
        raise ValueError(f"id out of range: {value!r}")
    return number


def parse_id_list(value: object) -> list[int]:
    """Child order ids, as a JSON list or as comma-separated text (`"4, 5,6"`)."""
    if isinstance(value, str):
        parts: list[object] = [p.strip() for p in value.split(",") if p.strip()]
    elif isinstance(value, list):
        parts = list(value)
    else:
        raise ValueError(f"not a list of ids: {value!r}")
    return [parse_id(part) for part in parts]


def parse_flag(value: object) -> bool:
    """`true`/`false`, `1`/`0`, `"1"`/`"0"`, `"yes"`...; missing (None) means false."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | Decimal | float):
        return value != 0
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError(f"not a yes/no flag: {value!r}")


def parse_text(value: object) -> str:
    """A label (name, category, type, currency): trimmed; numbers become their text."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ValueError(f"not text: {value!r}")
    if isinstance(value, str | int | Decimal | float):
        return str(value).strip()
    raise ValueError(f"not text: {value!r}")


def _words(text: str) -> str:
    """`" In_Progress "` → `"in progress"`: the form every status table below is keyed by."""
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


_ORDER_STATES = {
    "pending": OrderState.PENDING,
    "awaiting approval": OrderState.PENDING,
    "awaiting": OrderState.PENDING,
    "in progress": OrderState.IN_PROGRESS,
    "inprogress": OrderState.IN_PROGRESS,
    "processing": OrderState.PROCESSING,
    "completed": OrderState.COMPLETED,
    "complete": OrderState.COMPLETED,
    "partial": OrderState.PARTIAL,
    "partially completed": OrderState.PARTIAL,
    "canceled": OrderState.CANCELED,
    "cancelled": OrderState.CANCELED,
    "refunded": OrderState.REFUNDED,
    "fail": OrderState.FAILED,
    "failed": OrderState.FAILED,
    # Subscriptions: running or on hold is not final; an expired one is done.
    "active": OrderState.IN_PROGRESS,
    "paused": OrderState.IN_PROGRESS,
    "expired": OrderState.COMPLETED,
}

_REFILL_STATES = {
    "pending": RefillState.PENDING,
    "awaiting": RefillState.PENDING,
    "in progress": RefillState.IN_PROGRESS,
    "inprogress": RefillState.IN_PROGRESS,
    "processing": RefillState.IN_PROGRESS,
    "completed": RefillState.COMPLETED,
    "complete": RefillState.COMPLETED,
    "rejected": RefillState.REJECTED,
    "canceled": RefillState.CANCELED,
    "cancelled": RefillState.CANCELED,
    "error": RefillState.ERROR,
    "fail": RefillState.ERROR,
    "failed": RefillState.ERROR,
}


def parse_status(text: str) -> OrderState:
    """An order status; anything not recognised is UNKNOWN, never guessed as pending."""
    return _ORDER_STATES.get(_words(text), OrderState.UNKNOWN)


def parse_refill_status(text: str) -> RefillState:
    return _REFILL_STATES.get(_words(text), RefillState.UNKNOWN)


_REFUSED_STATE = (
    r"disabled?|suspended|banned|blocked|locked|inactive|not active|deactivated|closed|expired"
    r"|not found|does not exist|doesn't exist|denied"
)
# First match wins, so the specific patterns come before the broad ones: "Refill not found"
# is not_found, "link_duplicate" is not bad_link, "Refill is disabled for this service" is
# not_refillable. The key and the account come first of all: "API is disable for this user
# or user not found" refuses the caller, it says nothing about any order.
_REASONS: tuple[tuple[re.Pattern[str], Reason], ...] = tuple(
    (re.compile(pattern), reason)
    for pattern, reason in (
        (
            r"api[ _-]?key|\bkeys?\b.*\b(invalid|incorrect|wrong|unknown|expired|missing|required"
            r"|not found)\b|\b(invalid|incorrect|wrong|bad|unknown|expired|missing)[ _]key\b",
            Reason.BAD_KEY,
        ),
        (
            rf"\b(user|account|api)\b.*\b({_REFUSED_STATE})\b"
            rf"|\b(disabled?|suspended|banned|blocked|locked|deactivated|closed)\b.*\b(user|account)\b"
            r"|no such (user|account)|access denied|\bip\b.*\b(not allowed|not whitelisted)\b",
            Reason.ACCOUNT_REFUSED,
        ),
        (r"^(incorrect|invalid|bad|wrong) request$", Reason.BAD_REQUEST),
        (r"not enough funds|not_enough_funds|insufficient|low balance", Reason.INSUFFICIENT_FUNDS),
        (
            r"with this link exists|active order with this link|link duplicate|link_duplicate"
            r"|duplicate",
            Reason.DUPLICATE_LINK,
        ),
        (
            r"incorrect link|invalid link|bad link|wrong link|^neworder\.error\.link$",
            Reason.BAD_LINK,
        ),
        (r"quantity", Reason.BAD_QUANTITY),
        (
            r"(incorrect|invalid|unknown) service|service[ _]id|service not found",
            Reason.BAD_SERVICE,
        ),
        (r"not found|(incorrect|invalid) (order|refill) id", Reason.NOT_FOUND),
        (r"refill", Reason.NOT_REFILLABLE),
        (r"cancel", Reason.NOT_CANCELLABLE),
        (r"service", Reason.BAD_SERVICE),
    )
)


def parse_reason(text: str) -> Reason:
    """Map an error text or machine code to a Reason, case- and punctuation-insensitively."""
    words = " ".join(text.split()).casefold().strip(" .!?;:")
    for pattern, reason in _REASONS:
        if pattern.search(words):
            return reason
    return Reason.UNKNOWN


# Values plain_json returns as they are; checked first, as most of a payload is these.
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None)})


def plain_json(value: Any) -> Any:
    """A decoded payload with JSON's own types again, ready for a JSONField.

    Answers are decoded with numbers as Decimal so money keeps its text; the copies kept as
    `raw` and `extra` go back to float, as the provider wrote them.
    """
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if math.isfinite(as_float) else str(value)
    if isinstance(value, dict):
        return {str(k): v if type(v) in _PLAIN_TYPES else plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _PLAIN_TYPES else plain_json(v) for v in value]
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
