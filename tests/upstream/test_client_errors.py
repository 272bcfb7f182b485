"""How the client reports failures: one exception family, the reason, and whether to retry."""

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from orders.upstream import (
    Failure,
    InvalidAnswer,
    KeyRefused,
    ProviderClient,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    Reason,
)
from tests.upstream import recorded
from tests.upstream.network import API_KEY, API_URL, closed_port, direct_session

READS = [
    ("services", ()),
    ("status", (1,)),
    ("statuses", ([1, 2],)),
    ("refill", (1,)),
    ("refills", ([1, 2],)),
    ("refill_status", (1,)),
    ("refill_statuses", ([1, 2],)),
    ("cancel", ([1, 2],)),
    ("balance", ()),
]


def call(client: ProviderClient, method: str, args: tuple) -> object:
    return getattr(client, method)(*args)


@pytest.mark.parametrize("method, args", READS)
def test_it_reports_a_cloudflare_502_page_as_unavailable(client, upstream, method, args):
    upstream.post(API_URL, body=recorded.CLOUDFLARE_502, status=502, content_type="text/html")
    with pytest.raises(ProviderUnavailable) as caught:
        call(client, method, args)
    error = caught.value
    assert error.retryable
    assert error.http_status == 502
    assert error.reason == Failure.SERVER_ERROR
    assert "Bad gateway" in error.excerpt
    assert len(error.excerpt) <= 200


def test_it_reports_an_html_page_with_status_200_as_unavailable(client, upstream):
    upstream.post(API_URL, body="<html><title>Just a moment...</title></html>", status=200)
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert caught.value.reason == Failure.HTML_PAGE


def test_it_reads_json_served_as_text_html(client, upstream):
    # Many PHP panels label their JSON as HTML: the body decides, not the header.
    upstream.post(API_URL, body=recorded.BALANCE, content_type="text/html; charset=UTF-8")
    assert client.balance().currency == "USD"


def test_it_reads_json_behind_a_byte_order_mark(client, upstream):
    upstream.post(API_URL, body=b"\xef\xbb\xbf" + recorded.BALANCE.encode())
    assert client.balance().currency == "USD"


def test_it_honours_retry_after_seconds_on_429(client, upstream):
    upstream.post(API_URL, body="Too Many Requests", status=429, headers={"Retry-After": "120"})
    with pytest.raises(ProviderUnavailable) as caught:
        client.statuses([1])
    assert caught.value.reason == Failure.RATE_LIMITED
    assert caught.value.retry_after == 120.0
    assert caught.value.http_status == 429
    assert caught.value.retryable


def test_it_honours_retry_after_as_an_http_date(client, upstream):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    upstream.post(API_URL, status=429, headers={"Retry-After": when})
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert 80 <= caught.value.retry_after <= 90


@pytest.mark.parametrize("header", [None, "soon", ""])
def test_it_leaves_retry_after_empty_when_absent_or_unreadable(client, upstream, header):
    upstream.post(API_URL, status=429, headers={"Retry-After": header} if header else {})
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert caught.value.retry_after is None


def test_it_honours_retry_after_on_a_503(client, upstream):
    upstream.post(API_URL, body="maintenance", status=503, headers={"Retry-After": "30"})
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert caught.value.retry_after == 30.0


@pytest.mark.parametrize("body", ["OK", "Array", '{"balance": "1"', "null garbage"])
def test_it_reports_a_body_that_is_not_json_as_an_invalid_answer(client, upstream, body):
    upstream.post(API_URL, body=body)
    with pytest.raises(InvalidAnswer) as caught:
        client.balance()
    assert caught.value.reason == Failure.NOT_JSON
    assert caught.value.excerpt == body
    assert caught.value.retryable


def test_it_reports_an_empty_body_as_an_invalid_answer(client, upstream):
    upstream.post(API_URL, body="")
    with pytest.raises(InvalidAnswer, match="empty"):
        client.balance()


def test_it_keeps_only_a_short_excerpt_of_a_long_body(client, upstream):
    upstream.post(API_URL, body="x" * 10_000)
    with pytest.raises(InvalidAnswer) as caught:
        client.balance()
    assert len(caught.value.excerpt) == 200


@pytest.mark.parametrize(
    "method, args, body",
    [
        ("services", (), '{"services": []}'),
        ("services", (), '[{"service": 1, "name": "x", "rate": "abc", "min": 1, "max": 2}]'),
        ("services", (), '[{"name": "no id", "rate": "1", "min": 1, "max": 2}]'),
        ("status", (1,), '{"charge": "1"}'),
        ("status", (1,), "[]"),
        ("statuses", ([1],), "[]"),
        ("refill", (1,), '{"refill": null}'),
        ("refills", ([1],), "{}"),
        ("refill_status", (1,), '{"status": 5}'),
        ("refill_statuses", ([1],), '"Completed"'),
        ("cancel", ([1],), '{"cancel": 1}'),
        ("balance", (), '{"currency": "USD"}'),
        ("balance", (), '{"balance": "lots", "currency": "USD"}'),
    ],
)
def test_it_reports_an_answer_of_the_wrong_shape_as_invalid(client, upstream, method, args, body):
    upstream.post(API_URL, body=body)
    with pytest.raises(InvalidAnswer) as caught:
        call(client, method, args)
    assert caught.value.reason == Failure.BAD_SHAPE
    assert caught.value.excerpt


@pytest.mark.parametrize("text, reason", recorded.ERROR_TEXTS.items())
def test_it_reports_each_known_top_level_error_as_a_rejection(client, upstream, text, reason):
    upstream.post(API_URL, json={"error": text})
    with pytest.raises(ProviderRejected) as caught:
        client.add(1, link="https://x.example/p", quantity=100)
    error = caught.value
    assert error.reason == reason
    assert error.message == text
    assert not error.retryable
    assert text in str(error)


@pytest.mark.parametrize("method, args", READS)
def test_it_reports_a_top_level_error_on_every_action(client, upstream, method, args):
    upstream.post(API_URL, json={"error": "Invalid API key"})
    with pytest.raises(ProviderRejected) as caught:
        call(client, method, args)
    assert caught.value.reason is Reason.BAD_KEY
    assert caught.value.action in method


def test_it_reports_a_refused_single_refill_as_a_rejection(client, upstream):
    upstream.post(API_URL, json={"refill": {"error": "Order not eligible for refill."}})
    with pytest.raises(ProviderRejected) as caught:
        client.refill(5)
    assert caught.value.reason is Reason.NOT_REFILLABLE


def test_it_reports_an_unknown_single_refill_as_not_found(client, upstream):
    upstream.post(API_URL, json={"status": {"error": "Refill not found"}})
    with pytest.raises(ProviderRejected) as caught:
        client.refill_status(5)
    assert caught.value.reason is Reason.NOT_FOUND


def test_it_trusts_a_known_refusal_even_with_a_500(client, upstream):
    upstream.post(API_URL, json={"error": "Not enough funds on balance"}, status=500)
    with pytest.raises(ProviderRejected) as caught:
        client.balance()
    assert caught.value.reason is Reason.INSUFFICIENT_FUNDS
    assert caught.value.http_status == 500


def test_it_treats_an_unknown_error_with_a_500_as_unavailable(client, upstream):
    upstream.post(API_URL, json={"error": "Internal error"}, status=500)
    with pytest.raises(ProviderUnavailable):
        client.balance()


def test_it_reports_an_unexpected_status_with_json_as_invalid(client, upstream):
    upstream.post(API_URL, json={"message": "Forbidden"}, status=403)
    with pytest.raises(InvalidAnswer) as caught:
        client.balance()
    assert caught.value.reason == Failure.HTTP_STATUS
    assert caught.value.http_status == 403


@pytest.mark.parametrize(
    "raised, reason",
    [
        (requests.ConnectTimeout("connect timed out"), Failure.CONNECT_TIMEOUT),
        (requests.ReadTimeout("read timed out"), Failure.READ_TIMEOUT),
        (requests.ConnectionError("Connection aborted."), Failure.CONNECTION_LOST),
        (
            requests.ConnectionError(
                MaxRetryError(None, "/", NameResolutionError("provider.example", None, None))  # type: ignore[arg-type]
            ),
            Failure.DNS,
        ),
        (
            requests.ConnectionError(
                MaxRetryError(None, "/", NewConnectionError(None, "refused"))  # type: ignore[arg-type]
            ),
            Failure.CONNECT_FAILED,
        ),
        (requests.exceptions.ChunkedEncodingError("broken"), Failure.CONNECTION_LOST),
    ],
)
def test_it_reports_transport_failures_of_reads_as_unavailable(
    client, calls, upstream, raised, reason
):
    upstream.post(API_URL, body=raised)
    with pytest.raises(ProviderUnavailable) as caught:
        client.statuses([1, 2])
    assert caught.value.reason == reason
    assert caught.value.retryable
    assert caught.value.__cause__ is raised
    assert (calls[0].outcome, calls[0].reason, calls[0].ids) == ("unavailable", reason, 2)


def test_it_reports_a_refused_connection_as_unavailable():
    url = f"http://127.0.0.1:{closed_port()}/api/v2"
    client = ProviderClient(url, API_KEY, session=direct_session())
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert caught.value.reason == Failure.REFUSED


def test_every_failure_belongs_to_one_family():
    for kind in (ProviderUnavailable, ProviderRejected, InvalidAnswer):
        assert issubclass(kind, ProviderError)


# --- the key stays secret -------------------------------------------------------------------


def test_it_keeps_the_key_out_of_its_repr():
    client = ProviderClient(API_URL, API_KEY)
    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert "***" in repr(client)


@pytest.mark.parametrize(
    "status, body",
    [
        (502, f"<html>upstream said: key={API_KEY}</html>"),
        (200, f"echo: {API_KEY}"),
        (200, '{"error": "Invalid API key: ' + API_KEY + '"}'),
        (200, "request was key=k3y%2BS3cr3t%2F0123456789abcdef&action=balance"),
        (200, '[{"echo": "' + API_KEY + '"}]'),
    ],
)
def test_it_keeps_the_key_out_of_every_error_even_when_echoed(client, upstream, status, body):
    upstream.post(API_URL, body=body, status=status)
    with pytest.raises(ProviderError) as caught:
        client.balance()
    error = caught.value
    for text in (str(error), repr(error), error.excerpt, getattr(error, "message", "")):
        assert API_KEY not in text
        assert "k3y%2BS3cr3t" not in text
    assert "***" in error.excerpt + str(error)


def test_it_never_logs_the_key(client, upstream, caplog):
    caplog.set_level(logging.DEBUG)
    upstream.post(API_URL, body=recorded.BALANCE)
    upstream.post(API_URL, body=f"<html>{API_KEY}</html>", status=502)
    client.balance()
    with pytest.raises(ProviderUnavailable):
        client.balance()
    assert "action=balance" in caplog.text
    assert API_KEY not in caplog.text
    assert "k3y%2BS3cr3t" not in caplog.text


PHP_WARNING = (
    b'<br />\n<b>Warning</b>:  Undefined array key "currency" in '
    b"<b>/var/www/html/api/v2.php</b> on line <b>214</b><br />\n"
)


def test_it_reads_an_answer_printed_after_a_php_warning(client, upstream):
    upstream.post(API_URL, body=PHP_WARNING + recorded.BALANCE.encode())
    assert client.balance().currency == "USD"


def test_it_reports_an_answer_cut_short_as_invalid(client, upstream):
    upstream.post(API_URL, body=recorded.STATUSES[:40])
    with pytest.raises(InvalidAnswer) as caught:
        client.statuses([1, 10, 100])
    assert caught.value.reason == Failure.NOT_JSON


def test_it_reports_a_php_fatal_error_as_unavailable(client, upstream):
    upstream.post(API_URL, body=b"<br />\n<b>Fatal error</b>: Allowed memory size exhausted")
    with pytest.raises(ProviderUnavailable) as caught:
        client.balance()
    assert caught.value.reason == Failure.HTML_PAGE


KEY_REFUSALS = [
    "Invalid API key",
    "Incorrect API key",
    "API is disable for this user or user not found",
    "Your account has been suspended",
    "Incorrect request",
]


@pytest.mark.parametrize("text", KEY_REFUSALS)
@pytest.mark.parametrize("method, args", READS)
def test_a_refused_key_or_account_is_a_key_refusal_on_every_read(
    client, calls, upstream, method, args, text
):
    upstream.post(API_URL, json={"error": text})
    with pytest.raises(KeyRefused) as caught:
        call(client, method, args)
    assert caught.value.message == text
    assert calls[-1].outcome == "key_refused"  # not "rejected": the provider did not serve us


@pytest.mark.parametrize("text", KEY_REFUSALS[:4])
def test_a_refused_key_on_add_is_a_key_refusal_not_an_order_refusal(client, upstream, text):
    upstream.post(API_URL, json={"error": text})
    with pytest.raises(KeyRefused):
        client.add(1, link="https://x.example/p", quantity=100)


def test_incorrect_request_to_add_stays_a_refusal_of_the_order(client, upstream):
    upstream.post(API_URL, json={"error": "Incorrect request"})
    with pytest.raises(ProviderRejected) as caught:
        client.add(1, link="https://x.example/p", quantity=100)
    assert not isinstance(caught.value, KeyRefused)
    assert caught.value.reason is Reason.BAD_REQUEST


def test_an_order_level_refusal_is_not_a_key_refusal(client, calls, upstream):
    upstream.post(API_URL, json={"error": "Incorrect link"})
    with pytest.raises(ProviderRejected) as caught:
        client.add(1, link="x", quantity=100)
    assert not isinstance(caught.value, KeyRefused)
    assert calls[-1].outcome == "rejected"


WRONG_SHAPES = [{"status": "ok"}, [], [1, 2], ["ok"], [{"id": 1, "result": "done"}]]


@pytest.mark.parametrize("answer", WRONG_SHAPES)
@pytest.mark.parametrize("method", ["refills", "cancel", "refill_statuses"])
def test_a_wrong_shape_batch_answer_is_invalid_with_its_http_status(
    client, calls, upstream, method, answer
):
    upstream.post(API_URL, json=answer)
    with pytest.raises(InvalidAnswer) as caught:
        getattr(client, method)([1, 2])
    assert caught.value.http_status == 200
    assert (calls[-1].outcome, calls[-1].http_status) == ("invalid", 200)


def test_a_batch_answer_missing_some_ids_keeps_the_others(client, upstream):
    upstream.post(API_URL, json=[{"order": 1, "cancel": 1}])
    answers = client.cancel([1, 2])
    assert answers[1] is True
    assert answers[2].reason is Reason.UNKNOWN
