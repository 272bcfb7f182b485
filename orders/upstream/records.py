"""Typed records the provider client returns, and the small enums they carry.

Every record keeps what the provider said beyond the known fields (`extra`), so nothing an
upstream sends is lost on the way to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class OrderState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    PROCESSING = "processing"
    COMPLETED = "completed"
    PARTIAL = "partial"
    CANCELED = "canceled"
    REFUNDED = "refunded"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        """No further change is expected upstream: stop polling."""
        return self in FINAL_ORDER_STATES


FINAL_ORDER_STATES = frozenset(
    {
        OrderState.COMPLETED,
        OrderState.PARTIAL,
        OrderState.CANCELED,
        OrderState.REFUNDED,
        OrderState.FAILED,
    }
)


class RefillState(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELED = "canceled"
    ERROR = "error"
    UNKNOWN = "unknown"

    @property
    def is_final(self) -> bool:
        return self in FINAL_REFILL_STATES


FINAL_REFILL_STATES = frozenset(
    {RefillState.COMPLETED, RefillState.REJECTED, RefillState.CANCELED, RefillState.ERROR}
)


class Reason(StrEnum):
    """Why a provider refused a request, mapped from its error text."""

    BAD_KEY = "bad_key"
    # The account behind the key: disabled, suspended, "user not found".
    ACCOUNT_REFUSED = "account_refused"
    # "Incorrect request": the call as a whole, not one of its fields.
    BAD_REQUEST = "bad_request"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    DUPLICATE_LINK = "duplicate_link"
    BAD_LINK = "bad_link"
    BAD_QUANTITY = "bad_quantity"
    BAD_SERVICE = "bad_service"
    NOT_FOUND = "not_found"
    NOT_REFILLABLE = "not_refillable"
    NOT_CANCELLABLE = "not_cancellable"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    service_id: int
    name: str
    type: str
    category: str
    rate: Decimal  # per 1000 units, in the provider's currency
    min: int
    max: int
    refill: bool
    cancel: bool
    dripfeed: bool
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrderStatus:
    status: OrderState
    raw_status: str
    charge: Decimal | None
    start_count: int | None
    remains: int | None  # negative when the provider over-delivered
    currency: str
    # `posts`, `orders` (child ids, list[int]), `runs` and anything else the provider sent.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return self.status.is_final


@dataclass(frozen=True, slots=True)
class RefillStatus:
    status: RefillState
    raw_status: str

    @property
    def is_final(self) -> bool:
        return self.status.is_final


@dataclass(frozen=True, slots=True)
class Balance:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class ItemError:
    """One id of a batch call that the provider refused or answered unreadably."""

    message: str
    reason: Reason
    # An unreadable item (a value out of range, a count that is not one): the item as the
    # provider sent it, and its id when that much could be read (a catalogue's service).
    raw: str = ""
    item_id: int | None = None


PENDING = "pending"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """What one HTTP call did, handed to the client's observer after every call; a record
    with outcome "pending" goes to the observer before each call is sent."""

    action: str
    ids: int  # how many ids the call carried (0 for services, balance, add)
    duration_s: float
    outcome: str  # pending | ok | rejected | key_refused | unavailable | invalid | ambiguous
    reason: str  # "" when ok, else the exception's reason
    http_status: int | None
    # The same for a call's "pending" record (sent before the request) and its outcome.
    call_id: int = 0

    @property
    def pending(self) -> bool:
        """Told before the request is sent; the record of its outcome follows."""
        return self.outcome == PENDING
