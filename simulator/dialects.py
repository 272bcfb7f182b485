"""Spelling answers the way a given panel does: ids, money, counts, flags, statuses, errors.

The default dialect renders exactly the shapes of the seed document; the others reproduce the
variety real panels show, so the dashboard can be proven robust against it.
"""

from decimal import Decimal
from typing import Any

from simulator import errors
from simulator.config import Dialect
from simulator.models import Status

FIVE_PLACES = Decimal("0.00001")


def money_text(amount: Decimal) -> str:
    return str(amount.quantize(FIVE_PLACES))


def rate_text(rate: Decimal) -> str:
    """Rates as panels list them: "0.9", "8", "0.018" (no exponent, no trailing zeros)."""
    return format(rate.normalize(), "f")


class Renderer:
    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    def id(self, value: int, seed_form: str = "number") -> int | str:
        """An id; `seed_form` is how the seed document spells it in this place."""
        form = seed_form if self.dialect.ids == "seed" else self.dialect.ids
        return str(value) if form == "string" else value

    def money(self, amount: Decimal) -> str | float:
        text = money_text(amount)
        return float(text) if self.dialect.money == "float" else text

    def rate(self, rate: Decimal) -> str | float:
        text = rate_text(rate)
        return float(text) if self.dialect.money == "float" else text

    def count(self, value: int) -> str | int:
        return value if self.dialect.counts == "number" else str(value)

    def flag(self, value: bool) -> bool | int | str | None:
        """None means: leave the field out (missing is read as false)."""
        match self.dialect.flags:
            case "int":
                return int(value)
            case "string":
                return "1" if value else "0"
            case "omit":
                return True if value else None
        return value

    def status(self, status: str) -> str:
        if status == Status.CANCELED:
            return self.dialect.canceled
        if status == Status.IN_PROGRESS:
            return self.dialect.in_progress
        return status

    def error(self, text: str) -> dict[str, Any]:
        return {"error": errors.as_code(text) if self.dialect.errors == "codes" else text}
