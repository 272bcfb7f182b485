"""What an order would cost (paid to the provider) and fetch (paid by the customer).

The units follow `validate_order`'s quantity rule, the same one `order_place` charges by:
quantity × runs for drip-feed, the line count for list types, one package for packages, and a
range per new post for subscriptions. Nothing here writes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from orders.models import Service
from orders.money import money_text
from orders.upstream import QuantityRule, ValidationResult, validate_order


@dataclass(frozen=True)
class Estimate:
    """The cost and price of an order as far as its parameters are known so far."""

    currency: str
    rule: QuantityRule | None  # None: the type is not supported
    units: int | None = None  # what the charge covers, when known
    cost: Decimal | None = None  # the whole order; per post (at the minimum) for subscriptions
    price: Decimal | None = None
    cost_max: Decimal | None = None  # subscriptions: per post at the maximum
    price_max: Decimal | None = None
    balance: Decimal | None = None  # the provider's last known balance
    quantity: int | None = None  # per run, with drip-feed
    runs: int | None = None
    item: str = ""  # what a counted line is ("comment"), for list types
    posts: int | None = None  # subscriptions: the limit on new posts, when one is given
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.cost is not None

    @property
    def per_post(self) -> bool:
        return self.rule is QuantityRule.SUBSCRIPTION

    @property
    def package(self) -> bool:
        return self.rule is QuantityRule.NONE

    @property
    def highest_cost(self) -> Decimal | None:
        return self.cost_max if self.cost_max is not None else self.cost

    @property
    def balance_short(self) -> bool:
        """The provider's known balance does not cover this order (the top of a range)."""
        high = self.highest_cost
        return self.balance is not None and high is not None and self.balance < high

    def text(self, amount: Decimal | None) -> str:
        return "" if amount is None else money_text(amount, self.currency)

    @property
    def cost_text(self) -> str:
        return _range_text(self, self.cost, self.cost_max)

    @property
    def price_text(self) -> str:
        return _range_text(self, self.price, self.price_max)

    @property
    def posts_cost_text(self) -> str:
        """Subscriptions with a posts limit: what every post it allows costs, at most."""
        return self._for_posts(self.cost, self.cost_max)

    @property
    def posts_price_text(self) -> str:
        return self._for_posts(self.price, self.price_max)

    def _for_posts(self, low: Decimal | None, high: Decimal | None) -> str:
        if not self.posts or low is None:
            return ""
        high = low if high is None else high
        return _range_text(self, low * self.posts, high * self.posts)

    @property
    def balance_text(self) -> str:
        return self.text(self.balance)


def _range_text(estimate: Estimate, low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return ""
    if high is None or high == low:
        return estimate.text(low)
    return money_text(low) + "–" + money_text(high, estimate.currency)


def order_estimate(*, service: Service, params: dict, rate: Decimal | None = None) -> Estimate:
    """Price `params` for `service` (at `rate` per 1000 when given: a customer's); the errors
    are validate_order's, as hints for the form."""
    checked = validate_order(
        service.type,
        params,
        min_qty=service.min_quantity,
        max_qty=service.max_quantity,
        dripfeed=service.dripfeed,
    )
    base = {
        "currency": service.provider.currency,
        "balance": service.provider.balance,
        "errors": checked.errors,
    }
    if checked.spec is None:
        return Estimate(rule=None, **base)
    rule = checked.spec.quantity_rule
    if rule is QuantityRule.NONE:  # order_place charges a package at the service's rate
        price = service.selling_rate() if rate is None else rate
        return Estimate(rule=rule, cost=service.rate, price=price, **base)
    if rule is QuantityRule.SUBSCRIPTION:
        return _per_post(service, checked, base, rate)
    if checked.quantity is None:
        return Estimate(rule=rule, **base)
    units, runs = checked.quantity, checked.params.get("runs")
    counted = checked.spec.field(checked.spec.count_field)
    return Estimate(
        rule=rule,
        units=units,
        cost=service.cost_of(units),
        price=service.price_of(units, rate),
        quantity=_int(checked.params.get("quantity")),
        runs=_int(runs),
        item=counted.item if counted else "",
        **base,
    )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _per_post(
    service: Service, checked: ValidationResult, base: dict, rate: Decimal | None
) -> Estimate:
    """Subscriptions are charged per new post, anywhere between `min` and `max` units."""
    low, high = checked.params.get("min"), checked.params.get("max")
    rule = QuantityRule.SUBSCRIPTION
    if "min" in checked.errors or not isinstance(low, int):
        return Estimate(rule=rule, **base)
    if "max" in checked.errors or not isinstance(high, int):
        high = low
    posts = checked.params.get("posts")
    return Estimate(
        rule=rule,
        posts=posts
        if isinstance(posts, int) and posts > 0 and "posts" not in checked.errors
        else None,
        cost=service.cost_of(low),
        price=service.price_of(low, rate),
        cost_max=service.cost_of(high),
        price_max=service.price_of(high, rate),
        **base,
    )
