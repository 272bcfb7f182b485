"""The actions of API v2, one handler each: `handler(call) -> answer`."""

from collections.abc import Callable
from typing import Any

from customers.api.actions.account import balance, services
from customers.api.actions.common import Call
from customers.api.actions.orders import add, status
from customers.api.actions.requests import cancel, refill, refill_status

ACTIONS: dict[str, Callable[[Call], Any]] = {
    "services": services,
    "add": add,
    "status": status,
    "refill": refill,
    "refill_status": refill_status,
    "cancel": cancel,
    "balance": balance,
}

__all__ = ["ACTIONS", "Call"]
