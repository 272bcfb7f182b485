"""Reads for the refills list: newest first, keyset pages like the orders list."""

from django.db.models import QuerySet

from orders.keyset import ID, Key, Page, Sort, keyset_page, parse_moment
from orders.models import Refill

NEWEST = Sort((Key("created_at", True, parse_moment), ID))


def refills_filtered(*, status: str = "") -> QuerySet[Refill]:
    rows = Refill.objects.select_related(
        "order", "order__provider", "order__service", "requested_by"
    ).defer(
        "order__params",
        "order__upstream_extra",
        "order__service__raw",
        "order__service__description",
    )
    return rows.filter(status=status) if status else rows


def refills_page(*, status: str = "", after: str = "", before: str = "") -> Page[Refill]:
    return keyset_page(refills_filtered(status=status), NEWEST, after=after, before=before)
