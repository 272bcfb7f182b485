from orders.models.audit import AuditEntry
from orders.models.fields import Markup
from orders.models.ledger import (
    FUNDING_KINDS,
    SALE_KINDS,
    SPEND_KINDS,
    BalanceCheck,
    LedgerDay,
    LedgerDayTotal,
    LedgerEntry,
    Movement,
)
from orders.models.order import (
    FINAL_STATUSES,
    EventKind,
    LocalState,
    Order,
    OrderEvent,
    Status,
)
from orders.models.provider import Provider
from orders.models.refill import FINAL_REFILL_STATUSES, CancelRequest, Refill, RefillStatus
from orders.models.service import Service, ServiceChange
from orders.models.system import ApiCall, JobRun

__all__ = [
    "FINAL_REFILL_STATUSES",
    "FINAL_STATUSES",
    "FUNDING_KINDS",
    "SALE_KINDS",
    "SPEND_KINDS",
    "ApiCall",
    "AuditEntry",
    "BalanceCheck",
    "CancelRequest",
    "EventKind",
    "JobRun",
    "LedgerDay",
    "LedgerDayTotal",
    "LedgerEntry",
    "LocalState",
    "Markup",
    "Movement",
    "Order",
    "OrderEvent",
    "Provider",
    "Refill",
    "RefillStatus",
    "Service",
    "ServiceChange",
    "Status",
]
