"""`add` has no idempotency key: a failure that may have reached the provider must say so.

Only a failure that provably happened before sending (DNS, refused, connect timeout) is
plain "unavailable"; everything after sending is an AmbiguousSubmission, never retryable.
"""

import pytest
import requests
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
)

from orders.upstream import (
    AmbiguousSubmission,
    Failure,
    ProviderClient,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)
from tests.upstream import network
from tests.upstream.network import API_KEY, API_URL

ORDER = {"link": "https://instagram.com/p/abc", "quantity": 100}


def place(client: ProviderClient) -> int:
    return client.add(1, **ORDER)


def refused() -> Exception:
    cause = NewConnectionError(None, "Failed to establish a new connection: [Errno 111]")  # type: ignore[arg-type]
    cause.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.ConnectionError(MaxRetryError(None, "/api/v2", cause))  # type: ignore[arg-type]


def unresolvable() -> Exception:
    cause = NameResolutionError("provider.example", None, OSError("Name or service not known"))  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, "/api/v2", cause))  # type: ignore[arg-type]


def reset() -> Exception:
    aborted = ProtocolError("Connection aborted.", ConnectionResetError(104, "reset by peer"))
    return requests.ConnectionError(aborted)


NOT_SENT = [
    pytest.param(
        lambda: requests.ConnectTimeout("connect timed out"),
        Failure.CONNECT_TIMEOUT,
        id="connect-timeout",
    ),
    pytest.param(refused, Failure.REFUSED, id="refused"),
    pytest.param(unresolvable, Failure.DNS, id="dns"),
]
MAYBE_SENT = [
    pytest.param(
        lambda: requests.ReadTimeout("read timed out"), Failure.READ_TIMEOUT, id="read-timeout"
    ),
    pytest.param(reset, Failure.CONNECTION_LOST, id="connection-reset"),
    pytest.param(
        lambda: requests.exceptions.ChunkedEncodingError("broken"),
        Failure.CONNECTION_LOST,
        id="chunked",
    ),
    pytest.param(
        lambda: requests.ConnectionError("RemoteDisconnected"),
        Failure.CONNECTION_LOST,
        id="disconnected",
    ),
]


@pytest.mark.parametrize("make, reason", NOT_SENT)
def test_it_reports_a_failure_before_sending_as_unavailable(client, upstream, make, reason):
    upstream.post(API_URL, body=make())
    with pytest.raises(ProviderUnavailable) as caught:
        place(client)
    assert caught.value.reason == reason
    assert caught.value.retryable


@pytest.mark.parametrize("make, reason", MAYBE_SENT)
def test_it_reports_a_failure_after_sending_as_ambiguous(client, calls, upstream, make, reason):
    upstream.post(API_URL, body=make())
    with pytest.raises(AmbiguousSubmission) as caught:
        place(client)
    error = caught.value
    assert error.reason == reason
    assert not error.retryable
    assert not isinstance(error, ProviderUnavailable)
    assert "may or may not exist" in str(error)
    assert calls[-1].outcome == "ambiguous"


@pytest.mark.parametrize("make, reason", MAYBE_SENT)
def test_it_reports_the_same_failures_on_a_read_as_unavailable(client, upstream, make, reason):
    upstream.post(API_URL, body=make())
    with pytest.raises(ProviderUnavailable):
        client.status(1)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 524])
def test_it_reports_a_5xx_answer_to_add_as_ambiguous(client, upstream, status):
    upstream.post(API_URL, body="<html>Bad gateway</html>", status=status)
    with pytest.raises(AmbiguousSubmission) as caught:
        place(client)
    assert caught.value.http_status == status
    assert caught.value.reason == Failure.SERVER_ERROR


@pytest.mark.parametrize(
    "body, status",
    [
        ("<html>Just a moment...</html>", 200),
        ("OK", 200),
        ("", 200),
        ('{"status": "ok"}', 200),
        ('{"order": null}', 200),
        ('{"order": "pending"}', 200),
        ('{"order": 5, "error": "Something"}', 200),
        ("[]", 200),
        # Not ids: none of them may be read as an order the provider placed.
        ('{"order": "1e5"}', 200),
        ('{"order": 1.0}', 200),
        ('{"order": "+5"}', 200),
        ('{"order": " 5"}', 200),
        ('{"order": "\u00b2"}', 200),
        ('{"order": 9223372036854775808}', 200),
        ('{"message": "Forbidden"}', 403),
        ("", 302),
    ],
)
def test_it_reports_an_unusable_answer_to_add_as_ambiguous(client, upstream, body, status):
    upstream.post(API_URL, body=body, status=status)
    with pytest.raises(AmbiguousSubmission):
        place(client)


def test_it_reports_a_429_on_add_as_unavailable_with_retry_after(client, upstream):
    # A rate limiter refuses the request instead of handling it: nothing was placed.
    upstream.post(API_URL, status=429, headers={"Retry-After": "60"})
    with pytest.raises(ProviderUnavailable) as caught:
        place(client)
    assert caught.value.retry_after == 60.0


def test_it_reports_a_refusal_of_add_as_rejected(client, upstream):
    upstream.post(API_URL, json={"error": "neworder.error.not_enough_funds"})
    with pytest.raises(ProviderRejected):
        place(client)


def test_it_reports_an_ambiguous_submission_as_part_of_the_family():
    assert issubclass(AmbiguousSubmission, ProviderError)
    assert not AmbiguousSubmission.retryable


# --- against real sockets on 127.0.0.1 ------------------------------------------------------


def local_client(url: str) -> ProviderClient:
    return ProviderClient(url, API_KEY, timeout=(1.0, 0.3), session=network.direct_session())


def test_it_reports_a_refused_connection_on_add_as_unavailable():
    client = local_client(f"http://127.0.0.1:{network.closed_port()}/api/v2")
    with pytest.raises(ProviderUnavailable) as caught:
        place(client)
    assert caught.value.reason == Failure.REFUSED


def test_it_reports_an_unknown_host_on_add_as_unavailable():
    client = local_client("http://nonexistent.invalid/api/v2")
    with pytest.raises(ProviderUnavailable) as caught:
        place(client)
    assert caught.value.reason == Failure.DNS


def failure_against(handle, action=place) -> ProviderError:
    """Run `action` against a local server that behaves as `handle`; return what it raised."""
    with network.local_server(handle) as url:
        try:
            action(local_client(url))
        except ProviderError as exc:
            return exc
    raise AssertionError("the call succeeded")


def test_it_reports_a_read_timeout_on_add_as_ambiguous():
    error = failure_against(network.never_answers)
    assert isinstance(error, AmbiguousSubmission)
    assert error.reason == Failure.READ_TIMEOUT


def test_it_reports_a_connection_reset_on_add_as_ambiguous():
    error = failure_against(network.resets)
    assert isinstance(error, AmbiguousSubmission)
    assert error.reason == Failure.CONNECTION_LOST


def test_it_reports_a_hang_up_without_answer_on_add_as_ambiguous():
    assert isinstance(failure_against(network.hangs_up), AmbiguousSubmission)


def test_it_reports_a_read_timeout_on_a_read_as_unavailable():
    error = failure_against(network.never_answers, lambda client: client.balance())
    assert isinstance(error, ProviderUnavailable)
    assert error.reason == Failure.READ_TIMEOUT


def test_it_places_an_order_with_a_real_local_server():
    with network.local_server(network.answers(b'{"order": "23501"}')) as url:
        assert place(local_client(url)) == 23501


def test_it_reports_a_real_502_on_add_as_ambiguous():
    error = failure_against(network.answers(b"<html>502</html>", status="502 Bad Gateway"))
    assert isinstance(error, AmbiguousSubmission)
    assert error.http_status == 502


def test_it_keeps_the_order_id_printed_after_a_php_warning(client, upstream):
    # The order was placed and its id is intact: no need to ask staff to check.
    upstream.post(
        API_URL, body=b"<br />\n<b>Notice</b>: x on line <b>1</b><br />\n" + b'{"order": 7}'
    )
    assert place(client) == 7


def test_it_reports_an_add_answer_cut_short_as_ambiguous(client, upstream):
    upstream.post(API_URL, body='{"order": 23')
    with pytest.raises(AmbiguousSubmission) as caught:
        place(client)
    assert caught.value.reason == Failure.NOT_JSON
