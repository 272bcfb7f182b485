"""Pure settlement rules: what an order finally cost and sold for, and the ledger rows that
bring what it booked to those figures. No database here: the callers read and write in bulk.

An order books its estimates when placed (subscriptions book nothing: the provider charges
them post by post). When it reaches a final status its figures are settled once:

- Completed: cost is the provider's charge (the estimate when none is reported), price the
  selling price.
- Partial: cost is the charge (else the estimate pro rata), price the selling price pro rata
  of what was delivered (quantity − remains, within 0..quantity: remains can be negative).
- Canceled, Refunded, Failed: nothing sold; cost is a fee the provider kept, if it reports one.
- Drip-feed and subscriptions (charged run by run, post by post): cost is the charge, price
  the charge at the order's markup (for drip-feed never above its estimated price). Refunded
  and Failed still sell nothing; a drip-feed reporting no charge falls back to the rules above.

Amounts never cross currencies: a settlement in another currency than the one booked
reverses the booked rows in theirs and posts the settled figures in the new one.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from orders.models import Movement, Status
from orders.upstream import QuantityRule, order_type_for
from orders.upstream.parse import MONEY_MAX

ZERO = Decimal(0)
PLACES = Decimal("0.00000001")  # the money columns' 8 decimal places
NOTHING_SOLD = frozenset({Status.REFUNDED, Status.FAILED})


def money(amount: Decimal) -> Decimal:
    return amount.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """What an order cost us and sold for, in one currency."""

    cost: Decimal
    price: Decimal
    currency: str


@dataclass(frozen=True)
class Terms:
    """What was agreed when the order was placed."""

    quantity: int | None
    cost: Decimal | None  # the estimate (0 for a subscription)
    price: Decimal | None
    currency: str  # the currency its estimates were booked in
    ratio: Decimal | None  # selling price per unit of cost; None when no estimate says
    runs: bool = False  # drip-feed
    subscription: bool = False

    @property
    def by_charge(self) -> bool:
        """Charged as it runs: settled from the charges the provider reports."""
        return self.runs or self.subscription


@dataclass(frozen=True)
class Answer:
    """The provider's final word: status, what remains undelivered, its charge."""

    status: str
    remains: int | None
    charge: Decimal | None
    currency: str


def is_subscription(order_type: str) -> bool:
    spec = order_type_for(order_type)
    return spec is not None and spec.quantity_rule is QuantityRule.SUBSCRIPTION


def is_drip_feed(params: Mapping) -> bool:
    return bool(params.get("runs"))


def markup_ratio(cost: Decimal | None, price: Decimal | None) -> Decimal | None:
    if not cost or price is None:
        return None
    return price / cost


def settled(terms: Terms, answer: Answer) -> Figures:
    """The order's true figures once the provider's status is final."""
    currency = answer.currency or terms.currency
    charge = answer.charge
    if answer.status in NOTHING_SOLD or (answer.status == Status.CANCELED and not terms.by_charge):
        return Figures(charge or ZERO, ZERO, currency)
    if terms.by_charge and (charge is not None or terms.subscription):
        return _from_charge(terms, charge or ZERO, currency)
    if answer.status == Status.CANCELED:  # a drip-feed with no charge reported
        return Figures(ZERO, ZERO, currency)
    share = _delivered_share(terms, answer) if answer.status == Status.PARTIAL else Decimal(1)
    cost = charge if charge is not None else money((terms.cost or ZERO) * share)
    if _same_money(terms, currency):
        price = money((terms.price or ZERO) * share)
    else:  # the estimate is in another currency: the charge at the order's markup
        price = _sold_for(terms, cost)
    return Figures(cost, price, currency)


def running(terms: Terms, charge: Decimal | None, currency: str) -> Figures:
    """A subscription while it runs: what the provider has charged so far, sold at markup."""
    return _from_charge(terms, charge or ZERO, currency or terms.currency)


def _from_charge(terms: Terms, charge: Decimal, currency: str) -> Figures:
    price = _sold_for(terms, charge)
    if terms.runs and terms.price is not None and _same_money(terms, currency):
        price = min(price, terms.price)
    return Figures(charge, price, currency)


def _sold_for(terms: Terms, cost: Decimal) -> Decimal:
    # No markup known (no estimate, or a free one): sold at what it cost.
    if terms.ratio is None:
        return cost
    # An absurd charge at a steep markup stays within what an amount can be (the charge
    # itself was read within it).
    return min(money(cost * terms.ratio), MONEY_MAX)


def _same_money(terms: Terms, currency: str) -> bool:
    # An order booked before its provider's currency was known booked it in that currency.
    return currency == terms.currency or not terms.currency


def _delivered_share(terms: Terms, answer: Answer) -> Decimal:
    quantity = terms.quantity
    if not quantity or answer.remains is None:
        return Decimal(1)  # nothing says what was left undelivered
    delivered = max(0, min(quantity, quantity - answer.remains))
    return Decimal(delivered) / Decimal(quantity)


# ---- Ledger rows ----

Booked = Mapping[str, tuple[Decimal, Decimal]]  # currency → (spend sum, sale sum)


@dataclass(frozen=True)
class Move:
    kind: Movement
    amount: Decimal
    currency: str


def placing_moves(cost: Decimal | None, price: Decimal | None, currency: str) -> list[Move]:
    """What an order books when it is placed: its estimates (nothing for a zero one)."""
    return [
        Move(Movement.SPEND, cost or ZERO, currency),
        Move(Movement.SALE, price or ZERO, currency),
    ]


def settling_moves(target: Figures, booked: Booked, *, status: str) -> list[Move]:
    """The rows that bring the booked sums to the settled figures, in each currency."""
    moves = []
    for currency, spend_delta, sale_delta in _deltas(target, booked):
        if spend_delta < 0 and status != Status.COMPLETED:
            spend_kind = Movement.REFUND  # the provider gave back what was not delivered
        else:
            spend_kind = Movement.SPEND_ADJUSTMENT
        sale_kind = Movement.SALE_REVERSAL if sale_delta < 0 else Movement.SALE_ADJUSTMENT
        moves += [Move(spend_kind, spend_delta, currency), Move(sale_kind, sale_delta, currency)]
    return [move for move in moves if move.amount]


def running_moves(target: Figures, booked: Booked) -> list[Move]:
    """A subscription following its charge: more charged is an adjustment of its spend (and
    its sale); a charge that went down, or moved to another currency, is given back as a
    refund and reversal. Never a spend row: that one counts the order, once, when placed."""
    moves = []
    for currency, spend_delta, sale_delta in _deltas(target, booked):
        spend_kind = Movement.SPEND_ADJUSTMENT if spend_delta > 0 else Movement.REFUND
        sale_kind = Movement.SALE_ADJUSTMENT if sale_delta > 0 else Movement.SALE_REVERSAL
        moves += [Move(spend_kind, spend_delta, currency), Move(sale_kind, sale_delta, currency)]
    return [move for move in moves if move.amount]


def _deltas(target: Figures, booked: Booked) -> list[tuple[str, Decimal, Decimal]]:
    """Per currency: what to add to the spend and sale sums; other currencies go to zero."""
    rows = []
    for currency in sorted({*booked, target.currency}):
        spend, sale = booked.get(currency, (ZERO, ZERO))
        want = (target.cost, target.price) if currency == target.currency else (ZERO, ZERO)
        rows.append((currency, want[0] - spend, want[1] - sale))
    return rows
