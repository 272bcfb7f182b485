"""Reading the form: ids, one or up to 100 comma-separated."""

from collections.abc import Mapping

from customers.api import errors
from customers.api.errors import ApiError

MAX_IDS = 100
# action -> (field with many comma-separated ids, field with one id)
ID_FIELDS = {
    "status": ("orders", "order"),
    "refill": ("orders", "order"),
    "refill_status": ("refills", "refill"),
    "cancel": ("orders", "order"),
}


def as_number(raw: str) -> int | None:
    """An id as sent, if it is one: digits only, within a bigint."""
    text = raw.strip()
    if text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    return None


def id_out(raw: str) -> int | str:
    """An id echoed back in a list answer: a number if it was one."""
    number = as_number(raw)
    return raw if number is None else number


def parse_ids(action: str, form: Mapping[str, str]) -> tuple[list[str], bool]:
    """The ids a batch action names, as sent (a repeated one once), and whether the plural
    form was used. ApiError for none at all, or more than 100."""
    many_field, one_field = ID_FIELDS[action]
    many = form.get(many_field, "").strip()
    if many:
        ids = [part.strip() for part in many.split(",") if part.strip()]
        if len(ids) > MAX_IDS:
            raise ApiError(errors.TOO_MANY_IDS)
        if not ids:
            raise ApiError(errors.INCORRECT_REQUEST)
        return list(dict.fromkeys(ids)), True
    one = form.get(one_field, "").strip()
    if not one:
        raise ApiError(errors.INCORRECT_REQUEST)
    return [one], False


def numbers(ids: list[str]) -> dict[str, int]:
    """The ids that are numbers, by their text as sent."""
    return {raw: number for raw in ids if (number := as_number(raw)) is not None}
