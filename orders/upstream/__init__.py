"""The provider client and everything it returns: `from orders.upstream import ProviderClient`.

Nothing else in the project talks to an upstream panel or imports `requests` for one.
"""

from .client import BATCH_SIZE, DEFAULT_TIMEOUT, ProviderClient
from .errors import (
    AmbiguousSubmission,
    Failure,
    InvalidAnswer,
    KeyRefused,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)
from .ordertypes import (
    ORDER_TYPES,
    FieldKind,
    FieldSpec,
    OrderTypeSpec,
    QuantityRule,
    order_type_for,
)
from .records import (
    FINAL_ORDER_STATES,
    FINAL_REFILL_STATES,
    Balance,
    CallRecord,
    ItemError,
    OrderState,
    OrderStatus,
    Reason,
    RefillState,
    RefillStatus,
    ServiceRecord,
)
from .validation import ValidationResult, validate_order

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_TIMEOUT",
    "FINAL_ORDER_STATES",
    "FINAL_REFILL_STATES",
    "ORDER_TYPES",
    "AmbiguousSubmission",
    "Balance",
    "CallRecord",
    "Failure",
    "FieldKind",
    "FieldSpec",
    "InvalidAnswer",
    "ItemError",
    "KeyRefused",
    "OrderState",
    "OrderStatus",
    "OrderTypeSpec",
    "ProviderClient",
    "ProviderError",
    "ProviderRejected",
    "ProviderUnavailable",
    "QuantityRule",
    "Reason",
    "RefillState",
    "RefillStatus",
    "ServiceRecord",
    "ValidationResult",
    "order_type_for",
    "validate_order",
]
