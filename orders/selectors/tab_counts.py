"""How many orders each status tab lists, under the list's other filters.

Exact counts read every matching order: at a million orders that is half a second to
seconds, too slow for the list itself. So the list renders at once and asks for its
counts afterwards (htmx), and counts are kept for COUNTS_FRESH seconds per filter, with the
time they were counted shown beside them.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from orders.selectors.orders import OrderFilter, orders_filtered
from orders.selectors.tabs import ALL, PROBLEMS, SPLIT, problem_parts, tab_of

COUNTS_FRESH = 30  # seconds


@dataclass(frozen=True)
class TabCounts:
    counts: dict[str, int]  # tab key → orders it lists
    counted_at: datetime

    @property
    def age_seconds(self) -> int:
        return max(0, int((timezone.now() - self.counted_at).total_seconds()))


def order_tab_counts_cached(rules: OrderFilter) -> TabCounts | None:
    """The counts kept for this filter, if still fresh; never a query."""
    return cache.get(_key(rules))


def order_tab_counts(rules: OrderFilter) -> TabCounts:
    """Every tab's count under `rules` (its tab aside): kept ones while fresh, else counted
    in four queries: one over (state, status) for the tabs that split the orders, one for
    each kind of Problems (one query with an OR of them reads every order)."""
    key = _key(rules)
    found = cache.get(key)
    if found is None:
        found = count_tabs(rules)
        cache.set(key, found, COUNTS_FRESH)
    return found


def count_tabs(rules: OrderFilter) -> TabCounts:
    rows = orders_filtered(replace(rules, tab=ALL))
    counts = dict.fromkeys((ALL, *SPLIT, PROBLEMS), 0)
    groups = rows.values_list("state", "status").annotate(n=Count("pk")).order_by()
    for state, status, n in groups:
        counts[tab_of(state, status)] += n
        counts[ALL] += n
    counts[PROBLEMS] = sum(rows.filter(part).count() for part in problem_parts())
    return TabCounts(counts, timezone.now())


def _key(rules: OrderFilter) -> str:
    """One entry per filter; the tab is not part of it (every tab is counted)."""
    provider = rules.provider.pk if rules.provider else None
    text = repr((replace(rules, tab=ALL, provider=None), provider))
    return "order-tab-counts:" + hashlib.sha256(text.encode()).hexdigest()[:32]
