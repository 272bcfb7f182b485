"""The seven actions of API v2, one handler each: `handler(call) -> answer`."""

from collections.abc import Callable
from typing import Any

from simulator.actions.account import balance, services
from simulator.actions.cancel import cancel
from simulator.actions.common import Call, parse_ids
from simulator.actions.orders import add, status
from simulator.actions.refills import refill, refill_status

ACTIONS: dict[str, Callable[[Call], Any]] = {
    "services": services,
    "add": add,
    "status": status,
    "refill": refill,
    "refill_status": refill_status,
    "cancel": cancel,
    "balance": balance,
}

__all__ = ["ACTIONS", "Call", "parse_ids"]
