"""What came back over HTTP: a JSON payload, or the right exception of the family.

Two entry points: `transport_failure` for a request that raised, `decode` for a response.
Both know whether the call was an order submission (`add`), where "maybe sent" must never
look like "not sent".
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import time
from collections.abc import Iterator
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import urllib3
from urllib3.exceptions import NameResolutionError, NewConnectionError, ReadTimeoutError

from . import answers
from .errors import (
    REDACTED,
    AmbiguousSubmission,
    Failure,
    InvalidAnswer,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    excerpt,
    secret_forms,
)
from .records import Reason

# Raised while the request was being prepared or the connection opened: nothing was sent.
_UNSENT_CAUSES: tuple[tuple[type[BaseException], Failure], ...] = (
    (NameResolutionError, Failure.DNS),
    (socket.gaierror, Failure.DNS),
    (ConnectionRefusedError, Failure.REFUSED),
    (ssl.SSLCertVerificationError, Failure.TLS),
    (NewConnectionError, Failure.CONNECT_FAILED),
)
_BAD_URL: tuple[type[Exception], ...] = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.URLRequired,
)


def transport_failure(
    action: str, exc: BaseException, *, submission: bool, late: bool = False
) -> ProviderError:
    """Classify a request that raised before any answer arrived.

    A failure is "unsent" only when it provably happened before the request left: a bad
    URL, DNS, a refused or failed connect, a connect timeout, a rejected TLS certificate.
    Anything later (read timeout, reset, aborted or dropped connection) may have reached the
    provider: for a submission that is AmbiguousSubmission, for a read plain unavailability.
    One that happened after the request was sent and `late` (past the call's deadline) was
    the deadline cutting it.
    """
    failure, unsent = _failure_of(exc)
    if late and not unsent:
        failure = Failure.DEADLINE
    what = f"{action}: the provider could not be reached ({failure}: {type(exc).__name__})"
    if submission and not unsent:
        return AmbiguousSubmission(
            f"{action}: the request may have reached the provider before it failed "
            f"({failure}); the order may or may not exist upstream",
            action=action,
            reason=failure,
        )
    return ProviderUnavailable(what, action=action, reason=failure)


def _failure_of(exc: BaseException) -> tuple[Failure, bool]:
    if isinstance(exc, _BAD_URL):
        return Failure.BAD_URL, True
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure.CONNECT_TIMEOUT, True
    causes = list(_causes(exc))
    for kind, failure in _UNSENT_CAUSES:  # the most specific first
        if any(isinstance(cause, kind) for cause in causes):
            return failure, True
    if any(isinstance(cause, requests.Timeout | TimeoutError) for cause in causes):
        return Failure.READ_TIMEOUT, False
    return Failure.CONNECTION_LOST, False


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps: requests and urllib3 nest causes in args and .reason."""
    seen: set[int] = set()
    queue: list[BaseException] = [exc]
    while queue and len(seen) < 20:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        nested += list(current.args)
        queue += [n for n in nested if isinstance(n, BaseException)]


READ_PIECE = 64 * 1024  # bytes asked for per read; one read returns what has arrived


def read_body(action: str, response: requests.Response, *, limit: int, deadline: float) -> bytes:
    """Read a streamed answer into `response.content`, at most `limit` bytes by `deadline`.

    `deadline` is a `time.monotonic()` moment. A declared Content-Length over the limit is
    refused before anything is read; so is a body that grows past it. Each read returns what
    has arrived, so an answer dripped a byte at a time is cut at the deadline (a silence is
    cut by the read timeout). Either failure comes after the request was sent.
    """
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        length = 0
    body = bytearray()
    try:
        if length > limit:
            raise _too_large(action, response, length, limit)
        for piece in _pieces(response.raw):
            body += piece
            if len(body) > limit:
                raise _too_large(action, response, len(body), limit)
            _check_deadline(action, response, deadline, len(body))
        _check_deadline(action, response, deadline, len(body))  # the answer cut by it ends too
        content = response._content = bytes(body)
        response._content_consumed = True  # type: ignore[attr-defined]
        return content
    except ReadTimeoutError as exc:
        raise requests.ReadTimeout(exc) from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        if isinstance(exc, requests.RequestException):
            raise
        raise requests.ConnectionError(exc) from exc
    finally:
        response.close()  # a whole answer gives its connection back; a cut one closes it


def _pieces(raw: Any) -> Iterator[bytes]:
    """The body as it arrives: urllib3 decodes gzip; an in-process adapter gives a file."""
    if isinstance(raw, urllib3.BaseHTTPResponse):
        while piece := raw.read1(READ_PIECE, decode_content=True):
            yield piece
    elif raw is not None:
        while piece := raw.read(READ_PIECE):
            yield piece


def _check_deadline(action: str, response: requests.Response, deadline: float, read: int) -> None:
    if time.monotonic() > deadline:
        raise ProviderUnavailable(
            f"{action}: the answer was not all in by the deadline ({read} bytes read)",
            action=action,
            reason=Failure.DEADLINE,
            http_status=response.status_code,
        )


def _too_large(action: str, response: requests.Response, size: int, limit: int) -> InvalidAnswer:
    return InvalidAnswer(
        f"{action}: the answer is too large ({size} bytes or more, the limit is {limit})",
        action=action,
        reason=Failure.TOO_LARGE,
        http_status=response.status_code,
    )


def decode(action: str, response: requests.Response, *, secret: str) -> Any:
    """The JSON payload of a 2xx answer, or the exception that describes the answer.

    Order: 429 → unavailable (a rate limiter answered, nothing was processed); a JSON
    `{"error"}` → rejected (at 5xx only when the text is a known refusal); 5xx → unavailable;
    HTML (CDN and error pages, whatever the status) → unavailable; other non-JSON or a non-2xx
    status → invalid answer. JSON printed after a PHP notice is read as the answer it is.
    The key is scrubbed from the body before anything reads it.
    """
    status = response.status_code
    body = _scrub_bytes(response.content, secret)
    if status == 429:
        raise _unavailable(action, Failure.RATE_LIMITED, response, body)
    payload = _json(body)
    # An error next to an order id is no clean refusal: the order may exist.
    refusal = answers.error_text(payload) is not None and "order" not in payload
    if payload is not _NOT_JSON and refusal:
        rejected = answers.rejection(action, payload, http_status=status)
        if status < 500 or rejected.reason is not Reason.UNKNOWN:
            raise rejected
    if status >= 500:
        raise _unavailable(action, Failure.SERVER_ERROR, response, body)
    if payload is _NOT_JSON and _looks_like_html(response, body):
        raise _unavailable(action, Failure.HTML_PAGE, response, body)
    if not 200 <= status < 300:
        raise InvalidAnswer(
            f"{action}: unexpected HTTP {status}{_location(response)}",
            action=action,
            reason=Failure.HTTP_STATUS,
            http_status=status,
            excerpt=excerpt(body),
        )
    if payload is _NOT_JSON:
        raise InvalidAnswer(
            f"{action}: the answer is {'not JSON' if body.strip() else 'empty'} (HTTP {status})",
            action=action,
            reason=Failure.NOT_JSON,
            http_status=status,
            excerpt=excerpt(body),
        )
    return payload


def as_ambiguous(error: ProviderError) -> ProviderError:
    """For `add` after the request was sent: only a refusal or a 429 settles the outcome."""
    if isinstance(error, AmbiguousSubmission | ProviderRejected):
        return error
    if isinstance(error, ProviderUnavailable) and error.reason == Failure.RATE_LIMITED:
        return error
    return AmbiguousSubmission(
        f"{error.action}: the provider received the order but its answer is unusable "
        f"({error.reason}); the order may or may not exist upstream",
        action=error.action,
        reason=error.reason,
        http_status=error.http_status,
        excerpt=error.excerpt,
    )


def retry_after(header: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date."""
    if not header or not header.strip():
        return None
    text = header.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


_NOT_JSON = object()
# PHP panels print notices before their answer: "<br />\n<b>Warning</b>: ... <br />\n{...}".
_PHP_NOTICE = re.compile(rb"\s*<br\s*/?>\s*<b>(warning|notice|deprecated)</b>:", re.IGNORECASE)
_BR = re.compile(rb"<br\s*/?>", re.IGNORECASE)


def _json(body: bytes) -> Any:
    """The decoded answer, also when a PHP notice precedes it; _NOT_JSON otherwise."""
    if _PHP_NOTICE.match(body):
        body = _BR.split(body)[-1]
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _scrub_bytes(body: bytes, secret: str) -> bytes:
    for form in secret_forms(secret):
        body = body.replace(form.encode(), REDACTED.encode())
    return body


def _looks_like_html(response: requests.Response, body: bytes) -> bool:
    content_type = response.headers.get("Content-Type", "").lower()
    return body.lstrip()[:1] == b"<" or ("html" in content_type and bool(body.strip()))


def _unavailable(
    action: str, failure: Failure, response: requests.Response, body: bytes
) -> ProviderUnavailable:
    status = response.status_code
    return ProviderUnavailable(
        f"{action}: the provider is unavailable ({failure}, HTTP {status})",
        action=action,
        reason=failure,
        http_status=status,
        excerpt=excerpt(body),
        retry_after=retry_after(response.headers.get("Retry-After")),
    )


def _location(response: requests.Response) -> str:
    location = response.headers.get("Location")
    return f", redirected to {location[:100]}" if location else ""
