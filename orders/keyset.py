"""Keyset pages: cut at the last row's sort key, never by OFFSET and never with a COUNT of the
whole table, so page 20,000 costs what page 1 costs.

A `Sort` is a tuple of `Key`s whose last key is unique (the id), so every row has one place.
A cursor is the sort key of the row it stands after (or before), as opaque URL-safe text; a
cursor that is not one of ours means the first page, never an error.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import InvalidOperation
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import F, Model, Q, QuerySet

PAGE_SIZE = 50


@dataclass(frozen=True)
class Key:
    """One column of a sort: its name (a field or an annotation), its direction, and how to
    read its value back from a cursor's text."""

    field: str
    descending: bool
    parse: Callable[[str], Any]


def parse_moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


ID = Key("id", True, int)


@dataclass(frozen=True)
class Sort:
    keys: tuple[Key, ...]
    annotate: dict[str, Any] = field(default_factory=dict)  # annotations the keys name

    def reversed(self) -> "Sort":
        keys = tuple(Key(k.field, not k.descending, k.parse) for k in self.keys)
        return Sort(keys, self.annotate)


@dataclass
class Page[T]:
    rows: list[T]
    next_cursor: str = ""  # empty on the last page
    prev_cursor: str = ""  # empty on the first page

    @property
    def has_more(self) -> bool:
        return bool(self.next_cursor)


def cursor_encode(values: Sequence[Any]) -> str:
    text = json.dumps([v.isoformat() if isinstance(v, datetime) else str(v) for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, sort: Sort) -> list[Any] | None:
    """The key values in a cursor, or None when it is not one of ours (then: first page)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(sort.keys):
            return None
        return [key.parse(value) for key, value in zip(sort.keys, raw, strict=True)]
    except (ValueError, TypeError, binascii.Error, InvalidOperation):
        return None


def ordered[M: Model](rows: QuerySet[M], sort: Sort) -> QuerySet[M]:
    """`rows` in `sort` order (with the annotations its keys need)."""
    order = [F(k.field).desc() if k.descending else F(k.field).asc() for k in sort.keys]
    return rows.annotate(**sort.annotate).order_by(*order)


Load = Callable[[list[Any]], QuerySet]


def keyset_page[M: Model](
    rows: QuerySet[M],
    sort: Sort,
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
    load: Load | None = None,
    parts: Sequence[Q] = (),
) -> Page[M]:
    """One page of `rows` in `sort` order, after or before a cursor (at most one query,
    two when a "before" cursor reaches the first page; each one more with `load`).

    `parts`: filters that no row matches two of, whose union is wanted. With `load`, on a
    database that can, each part's first page is read on its own (by its own index, newest
    first) and the pages merged: one OR would walk one index past every row it refuses."""
    if before and (values := cursor_decode(before, sort)) is not None:
        backwards = sort.reversed()
        query = ordered(rows, backwards).filter(_beyond(backwards.keys, values))
        found = _read(query, size + 1, load, backwards, parts)
        if len(found) > size:
            found = found[:size][::-1]
            return Page(found, _cursor_of(found[-1], sort), _cursor_of(found[0], sort))
        # fewer than a page before it: the first page
        return keyset_page(rows, sort, size=size, load=load, parts=parts)
    values = cursor_decode(after, sort) if after else None
    query = ordered(rows, sort)
    if values is not None:
        query = query.filter(_beyond(sort.keys, values))
    found = _read(query, size + 1, load, sort, parts)
    page = Page(found[:size])
    if len(found) > size:
        page.next_cursor = _cursor_of(page.rows[-1], sort)
    if values is not None and page.rows:
        page.prev_cursor = _cursor_of(page.rows[0], sort)
    return page


def _read(
    query: QuerySet, limit: int, load: Load | None, sort: Sort, parts: Sequence[Q] = ()
) -> list:
    """The first `limit` rows of `query` (within `parts`). With `load`, in two steps: the
    sort keys alone, which an index holding them and the filtered columns answers without
    reading the table (the planner cannot know that the rows a filter keeps are all old, and
    walks the newest-first index past every newer row), then `load(ids)` in `sort` order."""
    if load is None:
        return list(query.filter(reduce(or_, parts, Q()))[:limit])
    ids = _ids(query, limit, sort, parts)
    return list(ordered(load(ids), sort)) if ids else []


def _ids(query: QuerySet, limit: int, sort: Sort, parts: Sequence[Q]) -> list[Any]:
    names = [key.field for key in sort.keys]
    if len(parts) < 2 or not connection.features.supports_slicing_ordering_in_compound:
        keys = query.filter(reduce(or_, parts, Q())).values_list(*names)[:limit]
    else:
        first, *others = (query.filter(part).values_list(*names)[:limit] for part in parts)
        order = [f"-{key.field}" if key.descending else key.field for key in sort.keys]
        keys = first.union(*others, all=True).order_by(*order)[:limit]
    return [key[-1] for key in keys]  # the last key is the id


def _beyond(keys: Sequence[Key], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the sort order, written so that the first key always
    bounds the range (a <= x AND (a < x OR …)): an index on the sort keys then serves the
    page, where a bare OR of the cases would make the database scan."""
    key, value = keys[0], values[0]
    step = "lt" if key.descending else "gt"
    strict = Q(**{f"{key.field}__{step}": value})
    if len(keys) == 1:
        return strict
    loose = Q(**{f"{key.field}__{step}e": value})
    return loose & (strict | _beyond(keys[1:], values[1:]))


def _cursor_of(row: Any, sort: Sort) -> str:
    return cursor_encode([getattr(row, key.field) for key in sort.keys])
