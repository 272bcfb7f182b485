"""Ledger rows as placement and settlement write them, for tests of what reads the ledger."""

from datetime import datetime
from decimal import Decimal

from orders.models import Movement, Order
from orders.services.ledger import ledger_post, order_posting


def booked(order: Order, at: datetime, cost: str, price: str) -> Order:
    """An order placed at `at`: its expected spend and its sale."""
    ledger_post(
        [
            order_posting(order, Movement.SPEND, Decimal(cost), order.currency),
            order_posting(order, Movement.SALE, Decimal(price), order.currency),
        ],
        at=at,
    )
    return order


def settled(
    order: Order, at: datetime, *, refund: str = "0", reversal: str = "0", spend_adj: str = "0"
) -> Order:
    """The order's final status seen at `at`: what the provider gave back, the unsold part,
    and a charge that differed from the estimate (all positive here, signed as the ledger
    keeps them)."""
    ledger_post(
        [
            order_posting(order, Movement.SPEND_ADJUSTMENT, Decimal(spend_adj), order.currency),
            order_posting(order, Movement.REFUND, -Decimal(refund), order.currency),
            order_posting(order, Movement.SALE_REVERSAL, -Decimal(reversal), order.currency),
        ],
        at=at,
    )
    return order
