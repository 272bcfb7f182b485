"""Shared setup for the validation tests: a fixed day, a post, a check with a 10..1000 service."""

from datetime import date

from orders.upstream import ValidationResult, validate_order

TODAY = date(2026, 11, 26)
POST = "https://instagram.com/p/abc"
TEN_LINES = "\n".join(f"line {i}" for i in range(10))


def check(type_name, params, *, min_qty=10, max_qty=1000, dripfeed=True) -> ValidationResult:
    """Validate for a service taking 10..1000 units, on a fixed day."""
    return validate_order(
        type_name, params, min_qty=min_qty, max_qty=max_qty, dripfeed=dripfeed, today=TODAY
    )
