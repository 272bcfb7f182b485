"""How values are spelled in answers, as in the seed: money and counts as text, ids as
numbers, our order and refill states as the status words panels use. Pure functions."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from orders.models import LocalState, RefillStatus, Status

FIVE_PLACES = Decimal("0.00001")


def money_text(amount: Decimal | None) -> str:
    """A charge: "0.27819"."""
    return str((amount or Decimal(0)).quantize(FIVE_PLACES, rounding=ROUND_HALF_UP))


def balance_text(amount: Decimal) -> str:
    """A balance: "100.84292", never rounded up past what is there."""
    return str(amount.quantize(FIVE_PLACES, rounding=ROUND_DOWN))


def rate_text(rate: Decimal) -> str:
    """Rates as panels list them: "0.9", "8", "0.018" (no exponent, no trailing zeros)."""
    return format(rate.normalize(), "f")


def count_text(value: int | None) -> str:
    return str(value or 0)


# Before the provider has the order, and when it never will.
LOCAL_STATUS: dict[str, str] = {
    LocalState.QUEUED: "Pending",
    LocalState.SUBMITTING: "Pending",
    LocalState.UNVERIFIED: "Pending",
    LocalState.REJECTED: "Canceled",
    LocalState.NOT_PLACED: "Canceled",
}
PLACED_STATUS: dict[str, str] = {
    "": "Pending",  # not asked yet
    Status.PENDING: "Pending",
    Status.IN_PROGRESS: "In progress",
    Status.PROCESSING: "Processing",
    Status.COMPLETED: "Completed",
    Status.PARTIAL: "Partial",
    Status.CANCELED: "Canceled",
    Status.REFUNDED: "Canceled",
    Status.FAILED: "Canceled",
}
# The provider said something we could not read: not done, and not lost either.
UNREAD_STATUS = "In progress"
NOT_SOLD = frozenset({LocalState.REJECTED, LocalState.NOT_PLACED})


def order_status_text(state: str, status: str) -> str:
    if state in LOCAL_STATUS:
        return LOCAL_STATUS[state]
    return PLACED_STATUS.get(status, UNREAD_STATUS)


REFILL_STATUS: dict[str, str] = {
    RefillStatus.REQUESTED: "Pending",
    RefillStatus.PENDING: "Pending",
    RefillStatus.IN_PROGRESS: "In progress",
    RefillStatus.COMPLETED: "Completed",
    RefillStatus.REJECTED: "Rejected",
    RefillStatus.CANCELED: "Canceled",
    RefillStatus.ERROR: "Error",
    RefillStatus.FAILED: "Rejected",  # refused by the provider when asked
}


def refill_status_text(status: str) -> str:
    return REFILL_STATUS.get(status, UNREAD_STATUS)
