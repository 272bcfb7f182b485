"""Mass orders: many orders pasted as text, one per line, checked and priced, then placed.

The line format (shown on the page as well):

    service_id | link | quantity | key=value | key=value ...

- `service_id` is the provider's own service id; `quantity` may be left empty where the type
  has none (packages) or counts lines (Custom Comments, Mentions Custom List, Comment Replies).
- Any other field of the type is written `key=value`, the key being the field's name or label
  ("answer_number" or "Answer number"); `link=` and `quantity=` work too.
- List fields (comments, usernames, keywords, groups, hashtags) separate items with `;`.
- `\\;` is a literal `;` inside an item, `\\|` a literal `|` in any value, `\\\\` a backslash.
- Blank lines and lines starting with `#` are skipped.

The parser is pure (text in, lines out); checking needs the catalogue (one query for all
lines); placing goes through `order_place`, one idempotency key per line.
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from orders.models import Provider, Service
from orders.money import money_text
from orders.selectors.placement import (
    orders_by_idempotency_key,
    service_unavailable,
    services_by_upstream_id,
)
from orders.services.placement import OrderInvalid, order_place
from orders.services.placement_estimate import Estimate, order_estimate
from orders.upstream import FieldKind, OrderTypeSpec, order_type_for

MAX_LINES = 1000
SERVICE_ID = re.compile(r"[0-9]{1,18}")  # ASCII only: "²" is a digit to str.isdigit, not to int
ESCAPABLE = "|;\\"
POSITIONAL = ("link", "quantity")


@dataclass(frozen=True)
class MassLine:
    """One order line as typed, split into its parts; `errors` are format errors only."""

    number: int  # the line's number in the pasted text, from 1
    text: str
    service_id: int | None = None
    link: str = ""
    quantity: str = ""
    extras: dict[str, str] = field(default_factory=dict)  # key → value, escapes kept
    errors: tuple[str, ...] = ()


def mass_order_parse(text: str) -> list[MassLine]:
    """The order lines of `text`, skipping blank lines and # comments."""
    parsed = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            parsed.append(_parse_line(number, line))
    return parsed


def _parse_line(number: int, line: str) -> MassLine:
    parts = [part.strip() for part in split_unescaped(line, "|")]
    errors: list[str] = []
    first = unescape(parts[0])
    service_id = int(first) if SERVICE_ID.fullmatch(first) else None
    if service_id is None:
        errors.append(f"the service id must be a number, not '{first}'")
    positional = [unescape(part) for part in parts[1:3]]
    link, quantity = [*positional, "", ""][:2]
    extras: dict[str, str] = {}
    for column, part in enumerate(parts[3:], start=4):
        problem = _extra(part, column, extras, {"link": link, "quantity": quantity})
        if problem:
            errors.append(problem)
    return MassLine(number, line, service_id, link, quantity, extras, tuple(errors))


def _extra(part: str, column: int, extras: dict[str, str], given: dict[str, str]) -> str:
    """Add one `key=value` part to `extras`; returns what is wrong with it, if anything."""
    if not part:
        return ""  # an empty column, e.g. a trailing "|"
    key, sep, value = part.partition("=")
    key = field_key(unescape(key))
    if not sep or not key:
        return f"column {column} ('{unescape(part)}') must be written key=value"
    if key == "service":
        return "the service id goes in the first column, not as service="
    if key in extras or given.get(key):
        return f"{key} is given twice"
    extras[key] = value.strip()
    return ""


def field_key(text: str) -> str:
    """ "Answer number", "answer-number" and "ANSWER_NUMBER" all name answer_number."""
    return "_".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def split_unescaped(text: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped by a backslash; escapes are kept."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def line_params(line: MassLine, spec: OrderTypeSpec) -> dict[str, str]:
    """The parameters of an order of type `spec` from a parsed line (list items one per line)."""
    params = {"link": line.link, "quantity": line.quantity}
    for key, value in line.extras.items():
        spec_field = spec.field(key)
        if spec_field is not None and spec_field.kind is FieldKind.LINES:
            items = (unescape(item).strip() for item in split_unescaped(value, ";"))
            params[key] = "\n".join(item for item in items if item)
        else:
            params[key] = unescape(value).strip()
    return {key: value for key, value in params.items() if value}


@dataclass
class LineCheck:
    """A line after checking: its service, parameters and price, or what is wrong."""

    line: MassLine
    service: Service | None = None
    params: dict[str, str] = field(default_factory=dict)
    estimate: Estimate | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Total:
    currency: str
    lines: int
    cost: Decimal
    price: Decimal

    @property
    def cost_text(self) -> str:
        return money_text(self.cost, self.currency)

    @property
    def price_text(self) -> str:
        return money_text(self.price, self.currency)


@dataclass
class MassPreview:
    checks: list[LineCheck]

    @property
    def valid(self) -> list[LineCheck]:
        return [check for check in self.checks if check.ok]

    @property
    def per_post_count(self) -> int:
        return sum(1 for check in self.valid if check.estimate and check.estimate.per_post)

    @property
    def invalid_count(self) -> int:
        return len(self.checks) - len(self.valid)

    def totals(self) -> list[Total]:
        """Cost and price of the valid lines per currency (subscriptions: charged per post)."""
        sums: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
        for check in self.valid:
            estimate = check.estimate
            if estimate is None or estimate.per_post or estimate.cost is None:
                continue
            total = sums[estimate.currency]
            total[0] += 1
            total[1] += estimate.cost
            total[2] += estimate.price or 0
        return [Total(currency, *sums[currency]) for currency in sorted(sums)]

    def short_balances(self) -> list["ShortBalance"]:
        """Providers whose known balance is lower than the cost of their valid lines."""
        cost: dict[int, Decimal] = defaultdict(Decimal)
        providers: dict[int, Provider] = {}
        for check in self.valid:
            if check.service and check.estimate and check.estimate.highest_cost is not None:
                providers[check.service.provider_id] = check.service.provider
                cost[check.service.provider_id] += check.estimate.highest_cost
        return [
            ShortBalance(
                provider.name, _money(provider.balance, provider), _money(cost[pk], provider)
            )
            for pk, provider in providers.items()
            if provider.balance is not None and provider.balance < cost[pk]
        ]


@dataclass(frozen=True)
class ShortBalance:
    provider: str
    balance: str
    cost: str


def _money(amount: Decimal | None, provider: Provider) -> str:
    return "" if amount is None else money_text(amount, provider.currency)


def mass_order_check(text: str, *, provider: Provider | None = None) -> MassPreview:
    """Parse, find each line's service (one query for all), validate and price every line."""
    lines = mass_order_parse(text)
    ids = {line.service_id for line in lines if line.service_id is not None}
    services = services_by_upstream_id(ids, provider=provider)
    checks = [_check(line, services, provider) for line in lines]
    _mark_repeats(checks)
    return MassPreview(checks)


def _check(line: MassLine, services: dict[int, list[Service]], provider) -> LineCheck:
    check = LineCheck(line, errors=list(line.errors))
    if line.service_id is None:
        return check
    found = services.get(line.service_id, [])
    if not found:
        where = f" at {provider.name}" if provider else ""
        check.errors.append(f"there is no service {line.service_id}{where}")
        return check
    if len(found) > 1:
        names = " and ".join(service.provider.name for service in found)
        check.errors.append(
            f"service {line.service_id} exists at {names}: choose the provider above"
        )
        return check
    check.service = service = found[0]
    spec = order_type_for(service.type)
    unavailable = service_unavailable(service)
    if unavailable:
        check.errors.append(f"service {line.service_id} is {unavailable}")
    elif spec is None:
        check.errors.append(f"type '{service.type}' is not supported yet, it cannot be ordered")
    if check.errors or spec is None:
        return check
    check.params = line_params(line, spec)
    check.estimate = order_estimate(service=service, params=check.params)
    check.errors += [message for messages in check.estimate.errors.values() for message in messages]
    return check


def _mark_repeats(checks: list[LineCheck]) -> None:
    """Warn about lines that repeat an earlier one (a double paste buys twice)."""
    first: dict[tuple, int] = {}
    for check in checks:
        if check.service is None:
            continue
        same = (check.service.pk, tuple(sorted(check.params.items())))
        if same in first:
            check.warnings.append(f"the same order as line {first[same]}")
        else:
            first[same] = check.line.number


@dataclass(frozen=True)
class LineResult:
    number: int
    text: str
    order_id: int | None = None
    errors: tuple[str, ...] = ()
    again: bool = False  # placed by an earlier submission of the same preview

    def as_list(self) -> list:
        return [self.number, self.text, self.order_id, list(self.errors), self.again]

    @classmethod
    def from_list(cls, row: list) -> "LineResult":
        number, text, order_id, errors, again = row
        return cls(number, text, order_id, tuple(errors), again)


def line_key(token: str, number: int) -> str:
    """The idempotency key of a preview's line: submitting the preview again finds it."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    return f"mass:{digest}:{number}"


def mass_order_place(*, preview: MassPreview, token: str, user=None) -> list[LineResult]:
    """Place every valid line as its own order; invalid lines are reported, not placed."""
    keys = {check.line.number: line_key(token, check.line.number) for check in preview.valid}
    earlier = orders_by_idempotency_key(keys.values())
    results = []
    for check in preview.checks:
        number, text = check.line.number, check.line.text
        if not check.ok or check.service is None:
            results.append(LineResult(number, text, errors=tuple(check.errors)))
        elif keys[number] in earlier:
            results.append(LineResult(number, text, earlier[keys[number]], again=True))
        else:
            results.append(_place(check, keys[number], user))
    return results


def _place(check: LineCheck, key: str, user) -> LineResult:
    number, text = check.line.number, check.line.text
    assert check.service is not None
    try:
        order = order_place(
            service=check.service, params=check.params, user=user, idempotency_key=key
        )
    except OrderInvalid as invalid:
        messages = tuple(message for found in invalid.errors.values() for message in found)
        return LineResult(number, text, errors=messages)
    return LineResult(number, text, order.pk)
