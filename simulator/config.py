"""Typed views of the run-time switches kept as JSON on `SimConfig`: faults, dialect, behaviour.

Each is a frozen dataclass built from a dict with `parse`, which refuses unknown names and
out-of-range values so a typo in a test or a control call fails loudly instead of doing nothing.
"""

from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, ClassVar, Self


class ConfigError(ValueError):
    pass


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if isinstance(default, int) and not isinstance(default, bool):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, str):
            return str(value)
        if isinstance(default, tuple):
            items = value.split(",") if isinstance(value, str) else list(value)
            kind = type(default[0]) if default else str
            return tuple(kind(item.strip() if isinstance(item, str) else item) for item in items)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {value!r} is not valid") from exc
    return value


class _Switches:
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}
    SHARES: ClassVar[tuple[str, ...]] = ()
    OPTIONAL_INTS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def parse(cls, data: dict[str, Any] | None) -> Self:
        data = data or {}
        known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
        unknown = set(data) - set(known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values = {}
        for name, value in data.items():
            default = known[name].default
            if name in cls.OPTIONAL_INTS:
                values[name] = None if value in (None, "") else _coerce(name, value, 0)
            else:
                values[name] = _coerce(name, value, None if default is MISSING else default)
        switches = cls(**values)
        switches.check()
        return switches

    def check(self) -> None:
        for name, allowed in self.CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} must be one of {', '.join(allowed)}")
        for name in self.SHARES:
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(f"{name} is a share between 0 and 1")

    def as_dict(self) -> dict[str, Any]:
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(self).items()  # type: ignore[call-overload]
        }


@dataclass(frozen=True)
class Faults(_Switches):
    """What goes wrong, and how often. Shares are probabilities per request (0..1)."""

    latency_ms: int = 0
    timeout_share: float = 0.0
    timeout_mode: str = "before"  # "after": the action is done, then the answer is lost
    timeout_seconds: float = 35.0
    error_5xx_share: float = 0.0
    error_5xx_codes: tuple[int, ...] = (502, 503, 520)
    rate_limit_share: float = 0.0
    retry_after: int = 30
    malformed_share: float = 0.0
    item_error_share: float = 0.0
    actions: tuple[str, ...] = ()  # empty: every action
    fault_seed: int = 0
    max_faults: int | None = None  # stop faulting after this many faulted requests

    CHOICES: ClassVar = {"timeout_mode": ("before", "after")}
    SHARES: ClassVar = (
        "timeout_share",
        "error_5xx_share",
        "rate_limit_share",
        "malformed_share",
        "item_error_share",
    )
    OPTIONAL_INTS: ClassVar = ("max_faults",)

    def applies_to(self, action: str) -> bool:
        return not self.actions or action in self.actions

    @property
    def any_share(self) -> bool:
        return any(getattr(self, name) > 0 for name in self.SHARES)


@dataclass(frozen=True)
class Dialect(_Switches):
    """How answers are spelled. The defaults follow the seed document exactly."""

    ids: str = "seed"  # seed: as the document shows; number / string: every id alike
    canceled: str = "Canceled"
    money: str = "string"
    flags: str = "bool"
    counts: str = "string"
    in_progress: str = "In progress"
    errors: str = "text"  # codes: neworder.error.* where real panels use them
    content_type: str = "application/json"  # some panels send JSON labelled text/html

    CHOICES: ClassVar = {
        "ids": ("seed", "number", "string"),
        "canceled": ("Canceled", "Cancelled"),
        "money": ("string", "float"),
        "flags": ("bool", "int", "string", "omit"),
        "counts": ("string", "number"),
        "in_progress": ("In progress", "Processing", "in_progress"),
        "errors": ("text", "codes"),
        "content_type": ("application/json", "text/html"),
    }


@dataclass(frozen=True)
class Behaviour(_Switches):
    """How orders turn out. Outcomes are drawn per order from `outcome_seed` and its id."""

    partial_share: float = 0.1
    cancel_share: float = 0.03  # the provider cancels (e.g. a private profile)
    overdelivery_share: float = 0.0
    refill_reject_share: float = 0.1
    outcome_seed: int = 0
    start_delay_min: float = 60.0  # simulated seconds an order stays Pending
    start_delay_max: float = 180.0
    cancel_delay: float = 60.0  # simulated seconds before a cancel request takes effect
    refill_cooldown_hours: float = 24.0
    post_interval_minutes: float = 60.0  # how often a subscribed profile posts

    SHARES: ClassVar = (
        "partial_share",
        "cancel_share",
        "overdelivery_share",
        "refill_reject_share",
    )

    def check(self) -> None:
        super().check()
        if self.partial_share + self.cancel_share + self.overdelivery_share > 1:
            raise ConfigError("partial, cancel and overdelivery shares add up to more than 1")
        if not 0 <= self.start_delay_min <= self.start_delay_max:
            raise ConfigError("start_delay_min must be between 0 and start_delay_max")
