"""The order types: what `add` takes for each service `type`, in one table.

Forms, mass orders, validation and the client all read this table; nothing else decides
which parameters a type takes. Several types share fields but mean different things, so a
type is only ever found by its name (trimmed, case-insensitive), never guessed from fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"
    LINK = "link"  # a URL, or a handle where the service takes one (see validation)
    INT = "int"
    LINES = "lines"  # one item per line, sent joined with "\n"
    CHOICE = "choice"
    DATE = "date"  # sent as d/m/Y


class QuantityRule(StrEnum):
    RANGE = "range"  # `quantity` within the service's min..max; with runs, quantity * runs ≤ max
    NONE = "none"  # no quantity: a package
    LINES = "lines"  # quantity = the number of non-empty lines of `count_field`
    SUBSCRIPTION = "subscription"  # service min ≤ `min` ≤ `max` ≤ service max


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    required: bool = True
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value sent, label shown)
    min_value: int | None = None
    item: str = ""  # LINES: what one line is, singular ("comment")
    required_when: tuple[str, str] | None = None  # (other field, value): needed only then
    dripfeed: bool = False  # runs/interval: only for services that offer drip-feed
    check: Callable[[str], str | None] | None = None  # extra text check → error or None


@dataclass(frozen=True, slots=True)
class OrderTypeSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    quantity_rule: QuantityRule
    count_field: str = ""  # QuantityRule.LINES: the field whose lines are counted
    help: str = ""

    @property
    def key(self) -> str:
        return type_key(self.name)

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


def type_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _country(value: str) -> str | None:
    if all(part.isalpha() for part in value.replace("-", " ").replace(".", " ").split()):
        return None
    return 'a country code or name, such as "US" or "United States"'


DELAYS = (0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600)


def _text(
    name: str,
    label: str,
    help: str = "",
    *,
    required_when: tuple[str, str] | None = None,
    check: Callable[[str], str | None] | None = None,
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        FieldKind.TEXT,
        required_when is None,
        help,
        required_when=required_when,
        check=check,
    )


def _link(
    name: str, label: str, help: str = "", *, required_when: tuple[str, str] | None = None
) -> FieldSpec:
    required = required_when is None
    return FieldSpec(name, label, FieldKind.LINK, required, help, required_when=required_when)


def _int(
    name: str, label: str, help: str = "", *, min_value: int | None = 1, required: bool = True
) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.INT, required, help, min_value=min_value)


def _lines(name: str, label: str, item: str) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.LINES, help=f"One {item} per line", item=item)


def _choice(
    name: str, label: str, choices: tuple[tuple[str, str], ...], help: str = ""
) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.CHOICE, help=help, choices=choices)


def _dripfeed(name: str, label: str, help: str) -> FieldSpec:
    return FieldSpec(
        name, label, FieldKind.INT, required=False, help=help, min_value=1, dripfeed=True
    )


LINK = _link("link", "Link", "The page, post or profile to deliver to")
QUANTITY = _int("quantity", "Quantity", min_value=None)  # the service's min..max rule says it
RUNS = _dripfeed("runs", "Runs", "Drip-feed: deliver the quantity this many times")
INTERVAL = _dripfeed("interval", "Interval", "Drip-feed: minutes between runs")
COMMENTS = _lines("comments", "Comments", "comment")
USERNAMES = _lines("usernames", "Usernames", "username")
DEVICES = (
    ("1", "Desktop"),
    ("2", "Mobile (Android)"),
    ("3", "Mobile (iOS)"),
    ("4", "Mixed (Mobile)"),
    ("5", "Mixed (Mobile & Desktop)"),
)
TRAFFIC_TYPES = (("1", "Google Keyword"), ("2", "Custom Referrer"), ("3", "Blank Referrer"))
SUBSCRIPTION_FIELDS = (
    _text("username", "Username", "The account to watch for new posts"),
    _int("min", "Minimum per post"),
    _int("max", "Maximum per post"),
    _int("posts", "New posts", "Limit on future posts; empty for no limit", required=False),
    _int("old_posts", "Existing posts", "Existing posts to order for", min_value=0, required=False),
    _choice("delay", "Delay", tuple((str(d), f"{d} minutes") for d in DELAYS), "After a new post"),
    FieldSpec("expiry", "Expiry", FieldKind.DATE, required=False, help="d/m/Y, optional"),
)
WEB_TRAFFIC_FIELDS = (
    LINK,
    QUANTITY,
    RUNS,
    INTERVAL,
    _text("country", "Country", 'Code or name: "US" or "United States"', check=_country),
    _choice("device", "Device", DEVICES),
    _choice("type_of_traffic", "Type of traffic", TRAFFIC_TYPES),
    _text("google_keyword", "Google keyword", required_when=("type_of_traffic", "1")),
    _link("referring_url", "Referring URL", required_when=("type_of_traffic", "2")),
)
RANGE, NONE, LINES = QuantityRule.RANGE, QuantityRule.NONE, QuantityRule.LINES

ORDER_TYPES: tuple[OrderTypeSpec, ...] = (
    OrderTypeSpec("Default", (LINK, QUANTITY, RUNS, INTERVAL), RANGE),
    OrderTypeSpec("Package", (LINK,), NONE),
    OrderTypeSpec("SEO", (LINK, QUANTITY, _lines("keywords", "Keywords", "keyword")), RANGE),
    OrderTypeSpec("Custom Comments", (LINK, COMMENTS), LINES, "comments"),
    OrderTypeSpec("Mentions", (LINK, QUANTITY, USERNAMES), RANGE),
    OrderTypeSpec("Mentions Custom List", (LINK, USERNAMES), LINES, "usernames"),
    OrderTypeSpec(
        "Mentions User Followers",
        (LINK, QUANTITY, _link("username", "Profile URL", "Whose followers are mentioned")),
        RANGE,
    ),
    OrderTypeSpec(
        "Mentions Media Likers",
        (LINK, QUANTITY, _link("media", "Media URL", "Whose likers are mentioned")),
        RANGE,
    ),
    OrderTypeSpec("Subscriptions", SUBSCRIPTION_FIELDS, QuantityRule.SUBSCRIPTION),
    OrderTypeSpec("Web Traffic", WEB_TRAFFIC_FIELDS, RANGE),
    OrderTypeSpec("Custom Comments Package", (LINK, COMMENTS), NONE),
    OrderTypeSpec(
        "Comment Likes",
        (LINK, QUANTITY, _text("username", "Comment owner", "Username of the comment's author")),
        RANGE,
    ),
    OrderTypeSpec("Poll", (LINK, QUANTITY, _int("answer_number", "Answer number")), RANGE),
    OrderTypeSpec(
        "Comment Replies",
        (LINK, _text("username", "Comment owner", "Username of the comment's author"), COMMENTS),
        LINES,
        "comments",
    ),
    OrderTypeSpec(
        "Invites from Groups", (LINK, QUANTITY, _lines("groups", "Groups", "group")), RANGE
    ),
    # Not on the API page, but served by real panels.
    OrderTypeSpec(
        "Mentions with Hashtags",
        (LINK, QUANTITY, USERNAMES, _lines("hashtags", "Hashtags", "hashtag")),
        RANGE,
    ),
    OrderTypeSpec("Mentions Hashtag", (LINK, QUANTITY, _text("hashtag", "Hashtag")), RANGE),
)

_BY_KEY = {spec.key: spec for spec in ORDER_TYPES}


def order_type_for(type_name: str) -> OrderTypeSpec | None:
    """The spec of a catalogue `type` (trimmed, case-insensitive), or None if not known."""
    return _BY_KEY.get(type_key(type_name))
