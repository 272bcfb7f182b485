"""CSV cells a spreadsheet cannot run: every CSV export writes its cells through `inert`."""

import re
from decimal import Decimal

from orders.money import DECIMALS

# A cell a spreadsheet would read as a formula (=HYPERLINK(…), +, -, @, a tab or a carriage
# return first) is written with a ' before it, as OWASP's CSV injection advice says; a real
# number such as -5 stays a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


class Echo:
    """A file-like sink for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def inert(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def amount_cell(amount: Decimal) -> str:
    """An amount for a spreadsheet: no grouping, two decimals or as many as it has."""
    exponent = amount.normalize().as_tuple().exponent
    places = max(DECIMALS, -exponent) if isinstance(exponent, int) else DECIMALS
    return f"{amount:.{places}f}"
