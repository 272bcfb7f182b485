"""The client's one exception family: what went wrong, and whether a retry is safe.

`ProviderError.reason` is a `Reason` for a rejection and a `Failure` otherwise; both are
strings. A batch call that fails part-way keeps what earlier chunks returned in `partial`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus

from .records import Reason

EXCERPT_LIMIT = 200
REDACTED = "***"


class Failure(StrEnum):
    """Why a call failed when the provider did not refuse it outright."""

    DNS = "dns"
    REFUSED = "refused"
    CONNECT_FAILED = "connect_failed"
    CONNECT_TIMEOUT = "connect_timeout"
    TLS = "tls"
    BAD_URL = "bad_url"
    READ_TIMEOUT = "read_timeout"
    DEADLINE = "deadline"
    CONNECTION_LOST = "connection_lost"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    HTML_PAGE = "html_page"
    HTTP_STATUS = "http_status"
    NOT_JSON = "not_json"
    TOO_LARGE = "too_large"
    BAD_SHAPE = "bad_shape"
    UNREADABLE = "unreadable"


# Failures that provably happened before the request left: nothing reached the provider.
UNSENT_FAILURES = frozenset(
    {
        Failure.DNS,
        Failure.REFUSED,
        Failure.CONNECT_FAILED,
        Failure.CONNECT_TIMEOUT,
        Failure.TLS,
        Failure.BAD_URL,
    }
)
# Refusals of the key or of the account behind it: every call fails alike until a person acts.
KEY_REASONS = frozenset({Reason.BAD_KEY, Reason.ACCOUNT_REFUSED})


def refuses_key(reason: Reason, action: str) -> bool:
    """Whether a refusal is of the key or account rather than of the request's fields.

    "Incorrect request" to a call with no fields of ours to blame (balance, services, a list
    of ids) is the provider refusing the caller; to `add` it may be the order's fields.
    """
    return reason in KEY_REASONS or (reason is Reason.BAD_REQUEST and action != "add")


class ProviderError(Exception):
    retryable: ClassVar[bool] = False
    outcome: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        action: str,
        reason: str,
        http_status: int | None = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(message)
        self.action = action
        self.reason = reason
        self.http_status = http_status
        self.excerpt = excerpt
        self.partial: dict[int, Any] = {}

    @property
    def sent(self) -> bool:
        """False only when the request provably never left (DNS, refused connect, bad URL...)."""
        return self.reason not in UNSENT_FAILURES

    def redact(self, secret: str) -> None:
        """Remove every spelling of `secret` from the message and the excerpt."""
        self.args = tuple(scrub(a, secret) if isinstance(a, str) else a for a in self.args)
        self.excerpt = scrub(self.excerpt, secret)


class ProviderUnavailable(ProviderError):
    """Unreachable, 5xx, an HTML page or 429: nothing was done, a later retry is safe."""

    retryable = True
    outcome = "unavailable"

    def __init__(
        self,
        message: str,
        *,
        action: str,
        reason: str,
        http_status: int | None = None,
        excerpt: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, action=action, reason=reason, http_status=http_status, excerpt=excerpt
        )
        self.retry_after = retry_after


class ProviderRejected(ProviderError):
    """The provider answered `{"error": ...}`: it refused, retrying will not help."""

    outcome = "rejected"
    reason: Reason

    def __init__(
        self, message: str, *, action: str, reason: Reason, http_status: int | None = None
    ) -> None:
        super().__init__(
            f"{action}: the provider refused ({reason}): {message}",
            action=action,
            reason=reason,
            http_status=http_status,
        )
        self.message = message

    def redact(self, secret: str) -> None:
        super().redact(secret)
        self.message = scrub(self.message, secret)


class KeyRefused(ProviderRejected):
    """The provider refused the key or the account behind it ("Invalid API key", "API is
    disable for this user or user not found"): not the request's fault, so every call will
    fail alike. Nothing was done. A provider-level failure, not an answer."""

    outcome = "key_refused"


class InvalidAnswer(ProviderError):
    """The answer is not JSON or not the expected shape. Safe to retry: it was a read."""

    retryable = True
    outcome = "invalid"


class AmbiguousSubmission(ProviderError):
    """An `add` failed after it may have reached the provider.

    The order may or may not exist upstream and the API has no idempotency key: retrying
    could buy twice, forgetting could lose a paid order. Someone must check before retrying.
    """

    outcome = "ambiguous"


def secret_forms(secret: str) -> set[str]:
    """The secret as sent in a form body and as it may be echoed back."""
    return {secret, quote(secret, safe=""), quote_plus(secret)} if secret else set()


def scrub(text: str, secret: str) -> str:
    for form in secret_forms(secret):
        text = text.replace(form, REDACTED)
    return text


def excerpt(value: Any) -> str:
    """At most EXCERPT_LIMIT characters of a body or payload, on one line."""
    if isinstance(value, bytes):
        text = value[: EXCERPT_LIMIT * 4].decode("utf-8", "replace")
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, default=str, ensure_ascii=False)[: EXCERPT_LIMIT * 4]
    text = " ".join(text.split())
    if len(text) > EXCERPT_LIMIT:
        text = text[: EXCERPT_LIMIT - 1] + "…"
    return text
