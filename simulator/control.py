"""Switching the simulator at run time: faults, dialect, behaviour, clock, accounts.

Everything is stored on the `SimConfig` row, so a change made here (or through the control
endpoint, or the staff page) reaches every process serving the API at its next request.

    from simulator import control
    control.set_faults(timeout_share=1, timeout_mode="after", actions=["add"], max_faults=1)
    control.advance_clock(3600)  # an hour of simulated time passes
"""

import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F

from simulator.accounts import account_ensure
from simulator.config import Behaviour, Dialect, Faults
from simulator.ledger import account_move, account_set
from simulator.models import SimAccount, SimConfig, SimMove, SimService

DEFAULT_SPEED = SimConfig._meta.get_field("speed").get_default()


def _update(**values: Any) -> SimConfig:
    SimConfig.load()
    SimConfig.objects.filter(pk=1).update(**values)
    return SimConfig.load()


def set_faults(**switches: Any) -> Faults:
    """Replace every fault switch: those not named go back to their default (no fault).

    The fault sequence restarts, so the same switches give the same faults in the same order.
    """
    faults = Faults.parse(switches)
    _update(faults=faults.as_dict(), faults_fired=0, fault_counter=0)
    return faults


def reset_faults() -> None:
    set_faults()


def faults() -> Faults:
    return Faults.parse(SimConfig.load().faults)


def set_dialect(**switches: Any) -> Dialect:
    """Replace the dialect: those not named go back to the seed document's spelling."""
    dialect = Dialect.parse(switches)
    _update(dialect=dialect.as_dict())
    return dialect


def set_behaviour(**switches: Any) -> Behaviour:
    """Change how orders turn out (shares of Partial, Canceled...); others keep their value.

    Unlike faults and dialect, which describe one scenario each and are replaced whole.
    """
    current = Behaviour.parse(SimConfig.load().behaviour).as_dict()
    behaviour = Behaviour.parse(current | switches)
    _update(behaviour=behaviour.as_dict())
    return behaviour


def now() -> float:
    """The simulated time, in epoch seconds."""
    return SimConfig.load().now()


def advance_clock(seconds: float) -> float:
    """Let `seconds` of simulated time pass at once; returns the new simulated time."""
    _update(anchor_sim=F("anchor_sim") + float(seconds))
    return now()


def set_speed(speed: float) -> float:
    """Simulated seconds per real second from now on (0 stops the clock); keeps `now()`."""
    if speed < 0:
        raise ValueError("speed cannot be negative")
    config = SimConfig.load()
    real = time.time()
    current = config.anchor_sim + (real - config.anchor_real) * config.speed
    _update(speed=float(speed), anchor_real=real, anchor_sim=current)
    return current


def reset() -> None:
    """Faults, dialect and behaviour back to their defaults; the clock to the default speed."""
    _update(faults={}, dialect={}, behaviour={}, faults_fired=0, fault_counter=0)
    set_speed(DEFAULT_SPEED)


def state() -> dict[str, Any]:
    config = SimConfig.load()
    return {
        "clock": {"now": config.now(), "speed": config.speed},
        "faults": Faults.parse(config.faults).as_dict(),
        "dialect": Dialect.parse(config.dialect).as_dict(),
        "behaviour": Behaviour.parse(config.behaviour).as_dict(),
        "faults_fired": config.faults_fired,
    }


def fund(api_key: str, balance: Decimal | str | float | None = None) -> str:
    """Make `api_key` an account (created if new) and set its balance when one is given."""
    account = account_ensure(api_key=api_key)
    if balance is not None:
        account_set(account.pk, Decimal(str(balance)))
    return account.api_key


def top_up(api_key: str, amount: Decimal | str, memo: str = "top-up") -> Decimal:
    """Pay `amount` into the account, as a customer paying the panel; returns the balance."""
    value = _positive(amount)
    return account_move(_account(api_key).pk, SimMove.TOP_UP, value, memo)


def take_fee(api_key: str, amount: Decimal | str, memo: str = "fee") -> Decimal:
    """Take `amount` from the account with no order (a hidden fee); returns the balance."""
    value = _positive(amount)
    return account_move(_account(api_key).pk, SimMove.FEE, -value, memo)


def _account(api_key: str) -> SimAccount:
    account = SimAccount.objects.filter(api_key=api_key).first()
    if account is None:
        raise ValueError("no account with this key")
    return account


def _positive(amount: Decimal | str) -> Decimal:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError("the amount must be a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError("the amount must be a positive number")
    return value


def reprice(share: float, step: Decimal = Decimal("0.01")) -> int:
    """Raise the rate of `share` of the active services (every k-th by id), as a provider's
    price update would; returns how many changed."""
    if not 0 <= share <= 1:
        raise ValueError("share is between 0 and 1")
    ids = list(SimService.objects.filter(active=True).values_list("pk", flat=True).order_by("pk"))
    chosen = ids[:: round(1 / share)] if share else []
    chosen = chosen[: round(len(ids) * share)]
    return SimService.objects.filter(pk__in=chosen).update(rate=F("rate") + step)
