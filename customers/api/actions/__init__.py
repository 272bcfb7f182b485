"""The actions of API v2, one handler each: `handler(call) -> answer`."""

from collections.abc import Callable
from typing import Any

from customers.api.actions.account import balance, services
from customers.api.actions.common import Call
from customers.api.actions.orders import add, status

ACTIONS: dict[str, Callable[[Call], Any]] = {
    "services": services,
    "add": add,
    "status": status,
    "balance": balance,
}

__all__ = ["ACTIONS", "Call"]
