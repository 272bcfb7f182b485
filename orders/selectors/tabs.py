"""The orders list's status tabs: what each one lists, said once for the filter, the counts
and the help on screen.

All but Problems split every order into one tab each (by local state and upstream status),
so their counts add up to All. Problems cuts across them: the orders a person must look at,
as the home page's "Needs a person" defines them, and two more kinds the list can show.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from orders.models import LocalState, Status
from orders.selectors.home import OPEN_STATUSES, is_rejected_recently, is_stuck


@dataclass(frozen=True)
class Tab:
    key: str  # the ?tab= value; "" for All
    label: Promise
    help: Promise


ALL, PENDING, IN_PROGRESS, COMPLETED, PARTIAL, CANCELED, UNVERIFIED, PROBLEMS = (
    "",
    "pending",
    "in_progress",
    "completed",
    "partial",
    "canceled",
    "unverified",
    "problems",
)

TABS = (
    Tab(ALL, _("All"), _("Every order.")),
    Tab(
        PENDING,
        _("Pending"),
        _(
            "Not started yet: waiting to be sent, being sent, or placed and not started by "
            "the provider (no status yet, or Pending)."
        ),
    ),
    Tab(
        IN_PROGRESS,
        _("In progress"),
        _(
            "Placed and being worked on: In progress or Processing upstream, or a status we "
            "could not read (those are under Problems too)."
        ),
    ),
    Tab(COMPLETED, _("Completed"), _("Completed upstream: the whole quantity delivered.")),
    Tab(PARTIAL, _("Partial"), _("Finished upstream with part of the quantity delivered.")),
    Tab(
        CANCELED,
        _("Canceled"),
        _(
            "Nothing more will be delivered: canceled, refunded or failed upstream, or never "
            "placed (rejected by the provider, or confirmed not placed)."
        ),
    ),
    Tab(
        UNVERIFIED,
        _("Unverified"),
        _(
            "Sent, but the provider's answer never came: whether it was placed is unknown "
            "until a person confirms it."
        ),
    ),
    Tab(
        PROBLEMS,
        _("Problems"),
        _(
            "Needs a person: unverified, rejected in the last 7 days, stuck (placed over 24 "
            "hours ago, not finished, no status change for 24 hours), missing upstream, or a "
            "status we could not read. These orders are also in the other tabs."
        ),
    ),
)
# The tabs that split every order between them (Problems overlaps them).
SPLIT = (PENDING, IN_PROGRESS, COMPLETED, PARTIAL, CANCELED, UNVERIFIED)

NEVER_PLACED = [LocalState.REJECTED, LocalState.NOT_PLACED]
WAITING = ["", Status.PENDING]
WORKING = [Status.IN_PROGRESS, Status.PROCESSING, Status.UNKNOWN]
ENDED = [Status.CANCELED, Status.REFUNDED, Status.FAILED]


def tab_of(state: str, status: str) -> str:
    """The one split tab an order with this state and status is listed under. The upstream
    status decides first (only placed orders have one); orders without one yet go by their
    local state."""
    if status in ENDED:
        return CANCELED
    if status in WORKING:
        return IN_PROGRESS
    if status in (Status.COMPLETED, Status.PARTIAL):
        return status
    if state == LocalState.UNVERIFIED:
        return UNVERIFIED
    return CANCELED if state in NEVER_PLACED else PENDING


def problem_parts(now: datetime | None = None) -> list[Q]:
    """The kinds of Problems, by local state so that no order is in two (each part is
    counted on its own, through its own index)."""
    placed_open = Q(state=LocalState.PLACED, status__in=OPEN_STATUSES)
    odd = Q(missing_upstream=True) | Q(status=Status.UNKNOWN) | is_stuck(now)
    return [Q(state=LocalState.UNVERIFIED), is_rejected_recently(now), placed_open & odd]


def tab_parts(key: str, now: datetime | None = None) -> list[Q]:
    """The orders a tab lists, as parts no order is in two of, each one an index can read
    newest first (one status each, mostly); none for All or a key that is not a tab."""
    if key == PROBLEMS:
        unverified, rejected, placed_odd = problem_parts(now)
        return [unverified, rejected, *(Q(status=s) & placed_odd for s in OPEN_STATUSES)]
    waiting = Q(status__in=WAITING)
    # Not split by status where the part is kept by its local state: most orders without a
    # status are rejected ones, which a walk of that status would pass one by one.
    parts = {
        PENDING: [waiting & ~Q(state__in=[LocalState.UNVERIFIED, *NEVER_PLACED])],
        IN_PROGRESS: [Q(status=status) for status in WORKING],
        COMPLETED: [Q(status=Status.COMPLETED)],
        PARTIAL: [Q(status=Status.PARTIAL)],
        CANCELED: [*(Q(status=status) for status in ENDED), waiting & Q(state__in=NEVER_PLACED)],
        UNVERIFIED: [waiting & Q(state=LocalState.UNVERIFIED)],
    }
    return parts.get(key, [])


def tab_filter(key: str, now: datetime | None = None) -> Q:
    """The orders a tab lists, as one filter (every order for All)."""
    return reduce(or_, tab_parts(key, now), Q())
