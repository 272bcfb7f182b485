"""Every URL, fed odd values in its path, query and form, answers 4xx or a form error:
never a server error."""

import pytest
from django.contrib.auth import get_user_model

from tests.engine.helpers import placed
from tests.security.urls import all_paths

pytestmark = pytest.mark.django_db

ODD = [
    "99999999999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "ünïcødé 🚀 ✓",
    "x" * 5000,
    "",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "1,2,3",
    "\x00",
    "2026-13-45",
]
FIELDS = [
    "q",
    "search",
    "status",
    "state",
    "provider",
    "service",
    "type",
    "category",
    "from",
    "to",
    "before",
    "after",
    "sort",
    "order",
    "page",
    "cursor",
    "action",
    "outcome",
    "link",
    "quantity",
    "runs",
    "interval",
    "comments",
    "usernames",
    "username",
    "min",
    "max",
    "delay",
    "expiry",
    "service_id",
    "upstream_id",
    "orders",
    "selected",
    "lines",
    "token",
    "form_token",
    "markup_kind",
    "markup_value",
    "enabled",
    "name",
    "api_url",
    "new_api_key",
    "api_key",
    "rate_limit_per_minute",
    "connect_timeout",
    "read_timeout",
    "call_deadline",
    "low_balance_threshold",
    "drift_tolerance",
    "default_markup_kind",
    "default_markup_value",
    "currency",
    "is_active",
    "job",
    "fragment",
]
ODD_IDS = ["0", "99999999", "2147483648", "99999999999999999999"]


def crawlable():
    return [
        path
        for path, name in all_paths()
        if not path.startswith(("/simulator/", "/admin/")) and name not in {"logout"}
    ]


@pytest.fixture
def crawler(client, sim, provider, default_service):
    placed(default_service, 2)
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw-1234567")
    client.force_login(user)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("path", crawlable())
def test_odd_values_never_cause_a_server_error(crawler, path):
    for value in ODD:
        data = dict.fromkeys(FIELDS, value)
        for method in (crawler.get, crawler.post):
            response = method(path, data)
            assert response.status_code < 500, (method.__name__, path, value[:40])


@pytest.mark.parametrize("path", [p for p in crawlable() if "/1/" in p])
def test_odd_ids_in_the_path_are_not_found(crawler, path):
    for odd in ODD_IDS:
        response = crawler.get(path.replace("/1/", f"/{odd}/", 1))
        assert response.status_code in (404, 405), (path, odd, response.status_code)
