"""Every action against the API page's recorded answers and the quirks of real panels."""

import json
from decimal import Decimal

import pytest
import requests

from orders.upstream import (
    Balance,
    CallRecord,
    InvalidAnswer,
    ItemError,
    OrderState,
    ProviderClient,
    Reason,
    RefillState,
    RefillStatus,
)
from tests.upstream import recorded
from tests.upstream.network import API_KEY, API_URL, sent_form


def test_it_lists_services_from_the_recorded_answer(client, upstream):
    upstream.post(API_URL, body=recorded.SERVICES)
    followers, comments = client.services()
    assert followers.service_id == 1
    assert followers.name == "Followers"
    assert followers.type == "Default"
    assert followers.category == "First Category"
    assert followers.rate == Decimal("0.90")
    assert (followers.min, followers.max) == (50, 10000)
    assert (followers.refill, followers.cancel, followers.dripfeed) == (True, True, False)
    assert comments.type == "Custom Comments"
    assert comments.rate == Decimal("8")
    assert (comments.refill, comments.cancel) == (False, True)
    assert comments.raw == json.loads(recorded.SERVICES)[1]
    assert sent_form(upstream) == {"key": API_KEY, "action": "services"}


def test_it_normalises_the_service_quirks_of_real_panels(client, upstream):
    upstream.post(
        API_URL,
        json=[
            {
                "service": "7",
                "name": "Views",
                "type": "  default ",
                "category": "Video",
                "rate": 0.0125,
                "min": 100,
                "max": "1000000",
                "refill": "1",
                "cancel": 0,
                "dripfeed": "true",
                "desc": "Fast start",
                "average_time": "2 hours",
            },
            {"service": 8, "name": "Likes", "type": "Package", "rate": "1", "min": 1, "max": 1},
        ],
    )
    views, likes = client.services()
    assert views.service_id == 7
    assert views.type == "default"
    assert views.rate == Decimal("0.0125")
    assert (views.min, views.max) == (100, 1_000_000)
    assert (views.refill, views.cancel, views.dripfeed) == (True, False, True)
    assert views.description == "Fast start"
    assert views.extra == {"average_time": "2 hours"}
    assert (likes.refill, likes.cancel, likes.dripfeed) == (False, False, False)
    assert likes.category == ""


def test_it_keeps_the_raw_service_as_plain_json(client, upstream):
    upstream.post(API_URL, body='[{"service": 1, "rate": 0.9, "min": 1, "max": 2, "x": 1.5}]')
    (service,) = client.services()
    assert service.rate == Decimal("0.9")
    assert service.raw["rate"] == 0.9  # storable in a JSONField
    assert service.extra == {"x": 1.5}


def test_it_places_an_order_and_returns_the_recorded_id(client, upstream):
    upstream.post(API_URL, body=recorded.ADD)
    order_id = client.add(1, link="https://instagram.com/p/abc", quantity=100)
    assert order_id == 23501
    assert sent_form(upstream) == {
        "key": API_KEY,
        "action": "add",
        "service": "1",
        "link": "https://instagram.com/p/abc",
        "quantity": "100",
    }


def test_it_reads_an_order_id_sent_as_a_string(client, upstream):
    upstream.post(API_URL, json={"order": "23501"})
    assert client.add(1, link="x", quantity=10) == 23501


def test_it_sends_lists_one_item_per_line_and_drops_none(client, upstream):
    upstream.post(API_URL, json={"order": 5})
    client.add(2, link="https://x.example/p", comments=["great", "nice"], runs=None)
    form = sent_form(upstream)
    assert form["comments"] == "great\nnice"
    assert "runs" not in form


def test_it_sends_list_text_as_given(client, upstream):
    upstream.post(API_URL, json={"order": 5})
    client.add(2, link="https://x.example/p", usernames="alice\r\nbob")
    assert sent_form(upstream)["usernames"] == "alice\r\nbob"


def test_it_refuses_parameters_that_would_replace_the_key_or_action(client):
    with pytest.raises(ValueError, match="reserved"):
        client.add(1, key="other", link="x")
    with pytest.raises(ValueError, match="reserved"):
        client.add(1, action="balance")


def test_it_reads_the_recorded_status(client, upstream):
    upstream.post(API_URL, body=recorded.STATUS)
    status = client.status(23501)
    assert status.status is OrderState.PARTIAL
    assert status.raw_status == "Partial"
    assert status.charge == Decimal("0.27819")
    assert (status.start_count, status.remains) == (3572, 157)
    assert status.currency == "USD"
    assert status.is_final
    assert sent_form(upstream) == {"key": API_KEY, "action": "status", "order": "23501"}


@pytest.mark.parametrize(
    "answer, state, charge, remains",
    [
        ({"charge": 0.27819, "status": "Cancelled", "remains": "0"}, "canceled", "0.27819", 0),
        ({"charge": "1.2", "status": "in_progress", "remains": -25}, "in_progress", "1.2", -25),
        ({"charge": "", "status": "Pending", "start_count": ""}, "pending", None, None),
        ({"charge": 3, "status": "Mystery", "remains": "-3"}, "unknown", "3", -3),
    ],
)
def test_it_normalises_status_quirks(client, upstream, answer, state, charge, remains):
    upstream.post(API_URL, json=answer)
    status = client.status(1)
    assert status.status == state
    assert status.charge == (None if charge is None else Decimal(charge))
    assert status.remains == remains


def test_it_reads_a_float_charge_from_its_text_at_the_columns_eight_places(client, upstream):
    # As a binary float 0.123456785 is 0.1234567849999...: it would round down.
    upstream.post(API_URL, body='{"charge": 0.123456785, "status": "Completed"}')
    assert client.status(1).charge == Decimal("0.12345679")


def test_it_keeps_subscription_extras_with_child_ids_as_ints(client, upstream):
    upstream.post(
        API_URL,
        json={"status": "Active", "posts": "3", "orders": ["11", 12, "13"], "runs": "2", "x": 1},
    )
    status = client.status(9)
    assert status.status is OrderState.IN_PROGRESS
    assert status.raw_status == "Active"
    assert status.extra == {"posts": 3, "orders": [11, 12, 13], "runs": 2, "x": 1}
    assert status.charge is None and status.currency == ""


def test_it_keeps_an_unreadable_extra_as_sent(client, upstream):
    upstream.post(API_URL, json={"status": "Completed", "orders": "n/a"})
    assert client.status(9).extra == {"orders": "n/a"}


def test_it_reads_the_recorded_statuses_with_their_item_error(client, upstream):
    upstream.post(API_URL, body=recorded.STATUSES)
    answers = client.statuses([1, 10, 100])
    assert answers[1].status is OrderState.PARTIAL
    assert answers[10] == ItemError("Incorrect order ID", Reason.NOT_FOUND)
    assert answers[100].status is OrderState.IN_PROGRESS
    assert answers[100].charge == Decimal("1.44219")
    assert sent_form(upstream)["orders"] == "1,10,100"
    assert set(answers) == {1, 10, 100}


def test_it_creates_a_refill_and_returns_the_recorded_id(client, upstream):
    upstream.post(API_URL, body=recorded.REFILL)
    assert client.refill(23501) == 1
    assert sent_form(upstream) == {"key": API_KEY, "action": "refill", "order": "23501"}


def test_it_reads_the_recorded_refills(client, upstream):
    upstream.post(API_URL, body=recorded.REFILLS)
    assert client.refills([1, 2, 3]) == {
        1: 1,
        2: 2,
        3: ItemError("Incorrect order ID", Reason.NOT_FOUND),
    }
    assert sent_form(upstream)["orders"] == "1,2,3"


def test_it_reads_refill_ids_sent_as_strings(client, upstream):
    upstream.post(API_URL, json=[{"order": "1", "refill": "77"}])
    assert client.refills([1]) == {1: 77}


def test_it_reads_the_recorded_refill_status(client, upstream):
    upstream.post(API_URL, body=recorded.REFILL_STATUS)
    assert client.refill_status(1) == RefillStatus(RefillState.COMPLETED, "Completed")
    assert sent_form(upstream) == {"key": API_KEY, "action": "refill_status", "refill": "1"}


def test_it_reads_the_recorded_refill_statuses(client, upstream):
    upstream.post(API_URL, body=recorded.REFILL_STATUSES)
    assert client.refill_statuses([1, 2, 3]) == {
        1: RefillStatus(RefillState.COMPLETED, "Completed"),
        2: RefillStatus(RefillState.REJECTED, "Rejected"),
        3: ItemError("Refill not found", Reason.NOT_FOUND),
    }
    assert sent_form(upstream)["refills"] == "1,2,3"


def test_it_reads_the_recorded_cancel_answer(client, upstream):
    upstream.post(API_URL, body=recorded.CANCEL)
    assert client.cancel([9, 2]) == {
        9: ItemError("Incorrect order ID", Reason.NOT_FOUND),
        2: True,
    }
    assert sent_form(upstream) == {"key": API_KEY, "action": "cancel", "orders": "9,2"}


@pytest.mark.parametrize("accepted", [1, "1", True, "true"])
def test_it_reads_cancel_flags_in_every_spelling(client, upstream, accepted):
    upstream.post(API_URL, json=[{"order": "4", "cancel": accepted}])
    assert client.cancel([4]) == {4: True}


def test_it_reports_a_cancel_answered_with_zero_as_not_accepted(client, upstream):
    upstream.post(API_URL, json=[{"order": 4, "cancel": 0}])
    assert client.cancel([4])[4].reason is Reason.UNKNOWN


def test_it_reads_the_recorded_balance(client, upstream):
    upstream.post(API_URL, body=recorded.BALANCE)
    assert client.balance() == Balance(Decimal("100.84292"), "USD")
    assert sent_form(upstream) == {"key": API_KEY, "action": "balance"}


def test_it_reads_a_balance_sent_as_a_float_from_its_text(client, upstream):
    upstream.post(API_URL, body='{"balance": 100.84292, "currency": "EUR"}')
    assert client.balance() == Balance(Decimal("100.84292"), "EUR")


def test_it_posts_a_form_with_a_user_agent_and_keeps_the_key_out_of_the_url(client, upstream):
    upstream.post(API_URL, body=recorded.BALANCE)
    client.balance()
    request = upstream.calls[0].request
    assert request.method == "POST"
    assert request.url == API_URL
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["User-Agent"].startswith("smm-panel/")


def test_it_uses_its_timeouts_on_every_call(upstream):
    upstream.post(API_URL, body=recorded.BALANCE)
    upstream.post(API_URL, body=recorded.BALANCE)
    ProviderClient(API_URL, API_KEY).balance()
    ProviderClient(API_URL, API_KEY, timeout=2.5).balance()
    # (connect, read), and the call's deadline as the total
    assert repr(upstream.calls[0].request.req_kwargs["timeout"]) == (
        "Timeout(connect=5.0, read=30.0, total=60.0)"
    )
    assert repr(upstream.calls[1].request.req_kwargs["timeout"]) == (
        "Timeout(connect=2.5, read=2.5, total=60.0)"
    )


def test_it_reuses_one_session_for_all_its_calls(upstream):
    session = requests.Session()
    client = ProviderClient(API_URL, API_KEY, session=session)
    upstream.post(API_URL, body=recorded.BALANCE)
    upstream.post(API_URL, body=recorded.BALANCE)
    client.balance()
    client.balance()
    assert client.session is session
    assert ProviderClient(API_URL, API_KEY).session is not ProviderClient(API_URL, API_KEY).session


def test_it_reports_each_call_to_its_observer(client, calls, upstream):
    upstream.post(API_URL, body=recorded.STATUSES)
    upstream.post(API_URL, json={"error": "Invalid API key"})
    client.statuses([1, 10, 100])
    with pytest.raises(Exception, match="refused"):
        client.balance()
    ok, refused = calls
    assert (ok.action, ok.ids, ok.outcome, ok.reason, ok.http_status) == (
        "status",
        3,
        "ok",
        "",
        200,
    )
    assert (refused.action, refused.ids, refused.outcome, refused.reason) == (
        "balance",
        0,
        "key_refused",
        "bad_key",
    )
    assert ok.duration_s >= 0


def test_it_tells_its_observer_of_each_call_before_sending_it(upstream):
    told: list[tuple[str, str, int]] = []
    client = ProviderClient(
        API_URL, API_KEY, observer=lambda r: told.append((r.outcome, r.action, len(upstream.calls)))
    )
    upstream.post(API_URL, body=recorded.BALANCE)
    client.balance()
    (pending, sent_before), (ok, sent_after) = [(o, n) for o, _, n in told]
    assert (pending, sent_before) == ("pending", 0)  # told before the request left
    assert (ok, sent_after) == ("ok", 1)


def test_a_calls_pending_record_and_its_outcome_share_an_id(upstream):
    calls: list[CallRecord] = []
    client = ProviderClient(API_URL, API_KEY, observer=calls.append)
    upstream.post(API_URL, body=recorded.BALANCE)
    upstream.post(API_URL, body=recorded.BALANCE)
    client.balance()
    client.balance()
    first, second = calls[:2], calls[2:]
    assert [c.pending for c in calls] == [True, False, True, False]
    assert first[0].call_id == first[1].call_id != second[0].call_id == second[1].call_id


def test_it_keeps_a_result_when_its_observer_fails(upstream, caplog):
    def broken(record):
        raise RuntimeError("log table is gone")

    upstream.post(API_URL, body=recorded.ADD)
    client = ProviderClient(API_URL, API_KEY, observer=broken)
    assert client.add(1, link="x", quantity=10) == 23501
    assert "observer failed" in caplog.text


@pytest.mark.parametrize("url", ["ftp://provider.example/api", "provider.example/api/v2", ""])
def test_it_refuses_an_api_url_that_is_not_http(url):
    with pytest.raises(ValueError):
        ProviderClient(url, API_KEY)


@pytest.mark.parametrize("timeout", [0, -1, (1, 0), (1, 2, 3)])
def test_it_refuses_timeouts_that_are_not_positive(timeout):
    with pytest.raises(ValueError):
        ProviderClient(API_URL, API_KEY, timeout=timeout)


def test_it_never_follows_a_redirect_with_the_key(client, upstream):
    upstream.post(API_URL, status=302, headers={"Location": "https://elsewhere.example/"})
    with pytest.raises(InvalidAnswer, match=r"redirected to https://elsewhere\.example/"):
        client.balance()
    assert len(upstream.calls) == 1


def test_it_sends_nothing_for_no_ids(client, upstream):
    assert client.statuses([]) == {}
    assert client.cancel([]) == {}
    assert not upstream.calls
