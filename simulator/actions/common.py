"""What every action handler gets (`Call`), and the id lists of the batch actions."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator import errors
from simulator.config import Behaviour
from simulator.dialects import Renderer
from simulator.errors import SimError
from simulator.models import SimAccount

MAX_IDS = 100
# action -> (field with many comma-separated ids, field with one id)
ID_FIELDS = {
    "status": ("orders", "order"),
    "refill": ("orders", "order"),
    "refill_status": ("refills", "refill"),
    "cancel": ("orders", "order"),
}


@dataclass
class Call:
    form: Mapping[str, str]
    account: SimAccount
    behaviour: Behaviour
    render: Renderer
    now: float  # simulated epoch seconds
    ids: list[str] = field(default_factory=list)  # as sent, for the batch actions
    many: bool = False  # the plural form was used: answer a map or a list
    failing: frozenset[str] = frozenset()  # ids a fault says must answer an error
    record: dict[str, Any] = field(default_factory=dict)  # extra fields for the request log

    def error(self, text: str) -> dict[str, Any]:
        return self.render.error(text)

    def numbers(self) -> dict[str, int]:
        """The ids that are numbers and not made to fail, by their text as sent."""
        return {
            raw: number
            for raw in self.ids
            if raw not in self.failing and (number := as_number(raw)) is not None
        }

    def id_out(self, raw: str) -> int | str:
        """An id echoed back in a list answer: a number if it was one."""
        number = as_number(raw)
        return raw if number is None else self.render.id(number)


def as_number(raw: str) -> int | None:
    text = raw.strip()
    if text.isdigit() and len(text) < 19:
        return int(text)
    return None


def parse_ids(action: str, form: Mapping[str, str]) -> tuple[list[str], bool]:
    """The ids a batch action names, and whether the plural form was used."""
    if action not in ID_FIELDS:
        return [], False
    many_field, one_field = ID_FIELDS[action]
    if form.get(many_field, "").strip():
        ids = [part.strip() for part in form[many_field].split(",") if part.strip()]
        if len(ids) > MAX_IDS:
            raise SimError(errors.TOO_MANY_IDS)
        return list(dict.fromkeys(ids)), True  # a repeated id is answered once
    one = form.get(one_field, "").strip()
    if not one:
        raise SimError(errors.INCORRECT_REQUEST)
    return [one], action == "cancel"  # cancel always answers a list
