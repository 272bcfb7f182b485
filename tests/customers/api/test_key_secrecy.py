"""The raw key never shows: not in an answer, a log line, a query logged, or an error
report, whatever the request did."""

import logging

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from customers.api import actions
from customers.api.view import endpoint
from customers.models import ApiKey
from tests.customers.api.client import API, call

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything_logged(caplog, settings):
    settings.DEBUG = True  # Django logs every query with its parameters
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    return caplog


def test_bad_requests_and_failures_never_show_the_key(
    client, key, offer, everything_logged, monkeypatch
):
    def broken(call):
        raise RuntimeError("a bug")

    monkeypatch.setitem(actions.ACTIONS, "balance", broken)
    responses = [
        call(client, key, "add", service=offer.pk, link="nope", quantity="x"),
        call(client, key, "status", orders="1," * 200),
        call(client, key, "no_such_action"),
        call(client, key, "balance"),  # the bug: logged, answered
        call(client, key + "x", "balance"),
        client.post(API, {"key": key, "action": "status\x00"}),
        client.get(API, {"key": key, "action": "balance"}),
    ]
    assert responses[3].json() == {"error": "Server error, try again later"}
    assert "a bug" in everything_logged.text  # the log did capture what happened
    assert "SELECT" in everything_logged.text
    for response in responses:
        assert key not in response.content.decode()
    assert key not in everything_logged.text
    assert key[:20] not in everything_logged.text


def test_a_request_past_the_limit_does_not_log_the_key(client, key, everything_logged):
    ApiKey.objects.update(bucket_tokens=0.0, bucket_at=timezone.now())  # none left
    response = call(client, key, "balance")
    assert response.status_code == 429
    assert key not in everything_logged.text


def test_error_reports_hide_the_key(key):
    request = RequestFactory().post(API, {"key": key, "action": "balance"})
    endpoint(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["key"] != key and set(shown["key"]) == {"*"}
    assert shown["action"] == "balance"
