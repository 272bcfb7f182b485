"""The provider client: one method per API v2 action, typed answers, one exception family.

The client never retries: whether and when to retry is the caller's policy, informed by
`ProviderError.retryable` and `ProviderUnavailable.retry_after`.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, NoReturn
from urllib.parse import urlsplit

import requests

from . import answers, wire
from .errors import AmbiguousSubmission, Failure, ProviderError
from .parse import parse_id
from .records import (
    PENDING,
    Balance,
    CallRecord,
    ItemError,
    OrderStatus,
    RefillStatus,
    ServiceRecord,
)
from .transport import DeadlineAdapter

Timeout = float | tuple[float, float]
Observer = Callable[[CallRecord], object]

BATCH_SIZE = 100  # the most ids a panel takes in one call
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)  # (connect, read) seconds
DEFAULT_DEADLINE = 60.0  # seconds for a whole call: connect, send, and the answer's last byte
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # 50,000 services with 255-character names: ~24 MiB
USER_AGENT = "smm-panel/0.1 (reseller back office; provider client)"
RESERVED_FIELDS = frozenset({"key", "action", "service"})

logger = logging.getLogger(__name__)
_call_ids = itertools.count(1)  # ties a call's "pending" record to its outcome, per process


class ProviderClient:
    """Speaks API v2 to one provider: `ProviderClient(api_url, api_key)`."""

    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        session: requests.Session | None = None,
        observer: Observer | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        parts = urlsplit(api_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("the API URL must be an http(s) address with a host")
        self.api_url = api_url
        self.__key = api_key  # name-mangled, and kept out of repr and every message
        self.timeout = _timeout(timeout)
        if not deadline > 0 or not max_answer_bytes > 0:
            raise ValueError("the deadline and the answer size bound must be positive")
        self.deadline = float(deadline)
        self.max_answer_bytes = max_answer_bytes
        self.session = session or _own_session(self.deadline)
        self.observer = observer
        self.headers = {"User-Agent": user_agent, "Accept": "application/json"}

    def __repr__(self) -> str:
        return f"ProviderClient({self.api_url!r}, api_key='***')"

    # --- actions -------------------------------------------------------------------------

    def services(self) -> list[ServiceRecord | ItemError]:
        """The catalogue; a service that cannot be read is an ItemError in its place."""
        return self._call("services", {}, answers.read_services)

    def add(self, service: int, **params: object) -> int:
        """Place an order; returns the upstream order id.

        Lists (comments, usernames...) may be given as a list or as text; None is dropped.
        Raises ProviderRejected when the provider refused (nothing was placed),
        ProviderUnavailable only when the request provably never reached the provider (or a
        429 rate limit refused it), and AmbiguousSubmission for every other failure, since
        the order may then exist upstream: do not retry it blindly.
        """
        reserved = RESERVED_FIELDS & params.keys()
        if reserved:
            raise ValueError(f"reserved parameter names: {sorted(reserved)}")
        fields = {"service": str(parse_id(service))}
        fields |= {name: _form_value(value) for name, value in params.items() if value is not None}
        return self._call("add", fields, answers.read_order_id, submission=True)

    def status(self, order_id: int) -> OrderStatus:
        return self._call("status", {"order": _id(order_id)}, answers.read_status, ids=1)

    def statuses(self, order_ids: Iterable[int]) -> dict[int, OrderStatus | ItemError]:
        return self._batched("status", "orders", order_ids, answers.read_statuses)

    def refill(self, order_id: int) -> int:
        return self._call("refill", {"order": _id(order_id)}, answers.read_refill_id, ids=1)

    def refills(self, order_ids: Iterable[int]) -> dict[int, int | ItemError]:
        return self._batched("refill", "orders", order_ids, answers.read_refills)

    def refill_status(self, refill_id: int) -> RefillStatus:
        fields = {"refill": _id(refill_id)}
        return self._call("refill_status", fields, answers.read_refill_status, ids=1)

    def refill_statuses(self, refill_ids: Iterable[int]) -> dict[int, RefillStatus | ItemError]:
        return self._batched("refill_status", "refills", refill_ids, answers.read_refill_statuses)

    def cancel(self, order_ids: Iterable[int]) -> dict[int, Literal[True] | ItemError]:
        return self._batched("cancel", "orders", order_ids, answers.read_cancels)

    def balance(self) -> Balance:
        return self._call("balance", {}, answers.read_balance)

    # --- plumbing ------------------------------------------------------------------------

    def _batched[T](
        self,
        action: str,
        field: str,
        ids: Iterable[int],
        read: Callable[[Any, list[int]], Mapping[int, T]],
    ) -> dict[int, T]:
        """One call per BATCH_SIZE ids, answers merged; stops at the first failed call.

        The exception then carries what the earlier calls returned in `partial`.
        """
        merged: dict[int, T] = {}
        for chunk in _chunks(_unique_ids(ids), BATCH_SIZE):
            fields = {field: ",".join(map(str, chunk))}
            try:
                answer = self._call(action, fields, _reader_for(read, chunk), ids=len(chunk))
            except ProviderError as exc:
                exc.partial = dict(merged)
                raise
            merged.update(answer)
        return merged

    def _call[T](
        self,
        action: str,
        fields: dict[str, str],
        read: Callable[[Any], T],
        *,
        ids: int = 0,
        submission: bool = False,
    ) -> T:
        call_id = next(_call_ids)
        self._observe(CallRecord(action, ids, 0.0, PENDING, "", None, call_id))
        started = time.monotonic()
        deadline = started + self.deadline
        response: requests.Response | None = None
        try:
            response = self._post(action, fields, deadline)
            wire.read_body(action, response, limit=self.max_answer_bytes, deadline=deadline)
            result = read(wire.decode(action, response, secret=self.__key))
        except ProviderError as exc:
            if exc.http_status is None and response is not None:
                exc.http_status = response.status_code  # a reader's verdict on this answer
            error = wire.as_ambiguous(exc) if submission and response is not None else exc
            self._failed(error, exc, started, ids, call_id)
        except requests.RequestException as exc:
            late = time.monotonic() >= deadline
            error = wire.transport_failure(action, exc, submission=submission, late=late)
            self._failed(error, exc, started, ids, call_id)
        except Exception as exc:
            if not (submission and response is not None):
                raise
            # The order reached the provider: a bug while reading must not look like "not placed".
            error = AmbiguousSubmission(
                f"{action}: the answer could not be read ({type(exc).__name__})",
                action=action,
                reason=Failure.UNREADABLE,
                http_status=response.status_code,
            )
            self._failed(error, exc, started, ids, call_id)
        self._observe(
            CallRecord(action, ids, _since(started), "ok", "", response.status_code, call_id)
        )
        return result

    def _post(self, action: str, fields: dict[str, str], deadline: float) -> requests.Response:
        """Send the call and wait for the answer's headers; the body is read by the caller.

        Each wait on the socket is bounded by the read timeout, cut to what is left of the
        deadline. The client's own session also cuts headers still arriving at the deadline
        (DeadlineAdapter); the body's pieces are checked against it as they arrive.
        """
        # key and action last, so no parameter can replace them.
        data = {**fields, "action": action, "key": self.__key}
        connect, read = self.timeout
        try:
            return self.session.post(
                self.api_url,
                data=data,
                headers=self.headers,
                timeout=(connect, max(0.001, min(read, deadline - time.monotonic()))),
                allow_redirects=False,  # a redirect would replay the key to another address
                stream=True,  # read in pieces, within the size bound and the deadline
            )
        except OSError as exc:  # requests' exceptions are OSErrors too
            if isinstance(exc, requests.RequestException):
                raise
            raise requests.ConnectionError(exc) from exc

    def _failed(
        self, error: ProviderError, cause: BaseException, started: float, ids: int, call_id: int
    ) -> NoReturn:
        error.redact(self.__key)
        record = CallRecord(
            error.action,
            ids,
            _since(started),
            error.outcome,
            str(error.reason),
            error.http_status,
            call_id,
        )
        self._observe(record)
        logger.debug("provider call failed: %s", error)
        if error is cause:
            raise error
        raise error from cause

    def _observe(self, record: CallRecord) -> None:
        logger.debug(
            "provider call action=%s ids=%d outcome=%s reason=%s status=%s duration=%.3f",
            record.action,
            record.ids,
            record.outcome,
            record.reason,
            record.http_status,
            record.duration_s,
        )
        if self.observer is None:
            return
        try:
            self.observer(record)
        except Exception:
            # The call has happened: an observer's fault must not lose its result (a placed order).
            logger.exception("provider call observer failed for action=%s", record.action)


def _reader_for[T](
    read: Callable[[Any, list[int]], Mapping[int, T]], chunk: list[int]
) -> Callable[[Any], Mapping[int, T]]:
    return lambda payload: read(payload, chunk)


def _own_session(deadline: float) -> requests.Session:
    """A session whose requests are cut at the deadline, headers included."""
    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, DeadlineAdapter(deadline))
    return session


def _timeout(value: Timeout) -> tuple[float, float]:
    pair = value if isinstance(value, tuple) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, int | float) and v > 0 for v in pair):
        raise ValueError("timeout must be a positive number or a (connect, read) pair")
    return float(pair[0]), float(pair[1])


def _form_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return str(value)


def _id(value: int) -> str:
    return str(parse_id(value))


def _unique_ids(ids: Iterable[int]) -> list[int]:
    if isinstance(ids, str | bytes):
        raise TypeError("ids must be an iterable of ids, not a string")
    return list(dict.fromkeys(parse_id(value) for value in ids))


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _since(started: float) -> float:
    return round(time.monotonic() - started, 6)
