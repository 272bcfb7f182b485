"""What `add` accepts for each service type, refused with the texts real panels use.

This is the simulator's own reading of the protocol, written apart from the dashboard's, so
tests of the dashboard against it check two independent readings against each other.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from simulator import errors
from simulator.dialects import FIVE_PLACES
from simulator.errors import SimError
from simulator.models import SimService

Form = Mapping[str, str]

LINK = re.compile(r"^(https?://)?([\w-]+\.)+[a-z]{2,}(:\d{1,5})?(/\S*)?$", re.IGNORECASE)
DELAYS = frozenset(
    {0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600}
)
PACKAGES = frozenset({"package", "custom comments package"})


@dataclass(frozen=True)
class Placement:
    """A valid `add`: what to create and what it costs."""

    link: str
    quantity: int  # per run
    runs: int = 1
    interval: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    charge: Decimal = Decimal("0")
    funds_needed: Decimal = Decimal("0")  # subscriptions pay per post, but must afford one


def normalise_type(name: str) -> str:
    return " ".join(name.split()).casefold()


def validate_add(service: SimService, form: Form, now: float) -> Placement:
    """The placement `form` asks for on `service`, or SimError with the panel's text."""
    kind = normalise_type(service.type)
    if kind == "subscriptions":
        return _subscription(service, form, now)
    rule = RULES.get(kind, _default)
    placement = rule(service, form)
    if kind in PACKAGES:
        charge = service.rate  # a package's rate is its price
    else:
        charge = service.rate * placement.quantity * placement.runs / 1000
    charge = charge.quantize(FIVE_PLACES, rounding=ROUND_HALF_UP)
    return Placement(
        link=placement.link,
        quantity=placement.quantity,
        runs=placement.runs,
        interval=placement.interval,
        params=placement.params,
        charge=charge,
        funds_needed=charge,
    )


# -- the pieces every rule is made of -----------------------------------------------------


def _text(form: Form, name: str) -> str:
    return (form.get(name) or "").strip()


def _required(form: Form, name: str) -> str:
    value = _text(form, name)
    if not value:
        raise SimError(errors.incorrect(name))
    return value


def _link(form: Form, name: str = "link") -> str:
    value = _text(form, name)
    if not LINK.match(value):
        raise SimError(errors.INCORRECT_LINK if name == "link" else errors.incorrect(name))
    return value


def _lines(form: Form, name: str) -> list[str]:
    lines = [line.strip() for line in re.split(r"\r?\n", form.get(name) or "")]
    lines = [line for line in lines if line]
    if not lines:
        raise SimError(errors.incorrect(name))
    return lines


def _integer(form: Form, name: str, error: str) -> int:
    value = _text(form, name)
    if not re.fullmatch(r"-?\d+", value):
        raise SimError(error)
    return int(value)


def _within(service: SimService, quantity: int) -> int:
    if quantity < service.min_quantity:
        raise SimError(errors.MIN_QUANTITY.format(min=service.min_quantity))
    if quantity > service.max_quantity:
        raise SimError(errors.MAX_QUANTITY.format(max=service.max_quantity))
    return quantity


def _quantity(service: SimService, form: Form) -> int:
    return _within(service, _integer(form, "quantity", errors.INCORRECT_QUANTITY))


def _with(service: SimService, form: Form, *names: str, **params: Any) -> Placement:
    """Link and quantity, plus `names` as required single fields."""
    link, quantity = _link(form), _quantity(service, form)
    params |= {name: _required(form, name) for name in names}
    return Placement(link=link, quantity=quantity, params=params)


# -- one rule per type --------------------------------------------------------------------


def _default(service: SimService, form: Form) -> Placement:
    link, quantity = _link(form), _quantity(service, form)
    runs, interval = _dripfeed(service, form, quantity)
    return Placement(link=link, quantity=quantity, runs=runs, interval=interval)


def _dripfeed(service: SimService, form: Form, quantity: int) -> tuple[int, int]:
    if not _text(form, "runs") and not _text(form, "interval"):
        return 1, 0
    if not service.dripfeed:
        raise SimError(errors.DRIPFEED_DISABLED)
    runs = _integer(form, "runs", errors.incorrect("runs"))
    interval = _integer(form, "interval", errors.incorrect("interval"))
    if not 1 <= runs <= 1000:
        raise SimError(errors.incorrect("runs"))
    if not 1 <= interval <= 60 * 24 * 30:
        raise SimError(errors.incorrect("interval"))
    if quantity * runs > service.max_quantity:
        raise SimError(errors.MAX_QUANTITY.format(max=service.max_quantity))
    return runs, interval


def _package(service: SimService, form: Form) -> Placement:
    return Placement(link=_link(form), quantity=1)


def _counted(name: str, *singles: str) -> Callable[[SimService, Form], Placement]:
    """Types whose quantity is the number of lines of `name` (custom comments, lists)."""

    def rule(service: SimService, form: Form) -> Placement:
        link = _link(form)
        params = {single: _required(form, single) for single in singles}
        lines = _lines(form, name)
        return Placement(link=link, quantity=_within(service, len(lines)), params=params)

    return rule


def _listed(*names: str) -> Callable[[SimService, Form], Placement]:
    """Types with a quantity and one or more lists (keywords, usernames, groups...)."""

    def rule(service: SimService, form: Form) -> Placement:
        link, quantity = _link(form), _quantity(service, form)
        params = {name: "\n".join(_lines(form, name)) for name in names}
        return Placement(link=link, quantity=quantity, params=params)

    return rule


def _single(*names: str) -> Callable[[SimService, Form], Placement]:
    def rule(service: SimService, form: Form) -> Placement:
        return _with(service, form, *names)

    return rule


def _media_likers(service: SimService, form: Form) -> Placement:
    link, quantity = _link(form), _quantity(service, form)
    return Placement(link=link, quantity=quantity, params={"media": _link(form, "media")})


def _comments_package(service: SimService, form: Form) -> Placement:
    link = _link(form)
    return Placement(
        link=link, quantity=1, params={"comments": "\n".join(_lines(form, "comments"))}
    )


def _poll(service: SimService, form: Form) -> Placement:
    placement = _with(service, form)
    answer = _integer(form, "answer_number", errors.incorrect("answer_number"))
    if answer < 1:
        raise SimError(errors.incorrect("answer_number"))
    return Placement(placement.link, placement.quantity, params={"answer_number": answer})


def _web_traffic(service: SimService, form: Form) -> Placement:
    base = _default(service, form)
    country = _required(form, "country")
    if not re.fullmatch(r"[A-Za-z]{2}|[A-Za-z][A-Za-z .'-]{3,}", country):
        raise SimError(errors.incorrect("country"))
    device = _integer(form, "device", errors.incorrect("device"))
    traffic = _integer(form, "type_of_traffic", errors.incorrect("type_of_traffic"))
    if device not in range(1, 6):
        raise SimError(errors.incorrect("device"))
    if traffic not in range(1, 4):
        raise SimError(errors.incorrect("type_of_traffic"))
    params: dict[str, Any] = {"country": country, "device": device, "type_of_traffic": traffic}
    if traffic == 1:
        params["google_keyword"] = _required(form, "google_keyword")
    if traffic == 2:
        params["referring_url"] = _link(form, "referring_url")
    return Placement(base.link, base.quantity, base.runs, base.interval, params)


def _subscription(service: SimService, form: Form, now: float) -> Placement:
    username = _required(form, "username")
    low = _within(service, _integer(form, "min", errors.INCORRECT_QUANTITY))
    high = _within(service, _integer(form, "max", errors.INCORRECT_QUANTITY))
    if low > high:
        raise SimError(errors.INCORRECT_QUANTITY)
    delay = _integer(form, "delay", errors.incorrect("delay"))
    if delay not in DELAYS:
        raise SimError(errors.incorrect("delay"))
    params: dict[str, Any] = {"username": username, "min": low, "max": high, "delay": delay}
    params["posts"] = _optional_count(form, "posts", least=1)
    params["old_posts"] = _optional_count(form, "old_posts", least=0) or 0
    params["expiry"] = _expiry(form, now)
    need = (service.rate * high / 1000).quantize(FIVE_PLACES, rounding=ROUND_HALF_UP)
    return Placement(link="", quantity=0, params=params, funds_needed=need)


def _optional_count(form: Form, name: str, *, least: int) -> int | None:
    if not _text(form, name):
        return None
    value = _integer(form, name, errors.incorrect(name))
    if value < least:
        raise SimError(errors.incorrect(name))
    return value


def _expiry(form: Form, now: float) -> float | None:
    """The end of the given day (d/m/Y, UTC) in simulated seconds; it must lie ahead."""
    text = _text(form, "expiry")
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%d/%m/%Y").replace(tzinfo=UTC)
    except ValueError as exc:
        raise SimError(errors.incorrect("expiry")) from exc
    end = (day + timedelta(days=1)).timestamp()
    if end <= now:
        raise SimError(errors.incorrect("expiry"))
    return end


RULES: dict[str, Callable[[SimService, Form], Placement]] = {
    "default": _default,
    "package": _package,
    "seo": _listed("keywords"),
    "custom comments": _counted("comments"),
    "mentions": _listed("usernames"),
    "mentions custom list": _counted("usernames"),
    "mentions user followers": _single("username"),
    "mentions media likers": _media_likers,
    "web traffic": _web_traffic,
    "custom comments package": _comments_package,
    "comment likes": _single("username"),
    "poll": _poll,
    "comment replies": _counted("comments", "username"),
    "invites from groups": _listed("groups"),
    "mentions with hashtags": _listed("usernames", "hashtags"),
    "mentions hashtag": _single("hashtag"),
}
