"""`validate_order` explains what is wrong with an invalid order of every type."""

import pytest

from orders.upstream import ORDER_TYPES
from tests.upstream.validation_cases import POST, TEN_LINES, check

INVALID = [
    ("Default", {"link": POST, "quantity": 5}, "quantity", "quantity must be between 10 and 1000"),
    (
        "Default",
        {"link": POST, "quantity": 5000},
        "quantity",
        "quantity must be between 10 and 1000",
    ),
    ("Default", {"quantity": 100}, "link", "link is required"),
    ("Default", {"link": POST}, "quantity", "quantity is required"),
    ("Default", {"link": POST, "quantity": "ten"}, "quantity", "quantity must be a whole number"),
    ("Default", {"link": POST, "quantity": True}, "quantity", "quantity must be a whole number"),
    (
        "Default",
        {"link": POST, "quantity": 300, "runs": 5, "interval": 10},
        "runs",
        "5 runs of 300 make 1500, more than the service's maximum of 1000",
    ),
    (
        "Default",
        {"link": POST, "quantity": 100, "runs": 5},
        "interval",
        "interval is required with runs (drip-feed)",
    ),
    (
        "Default",
        {"link": POST, "quantity": 100, "interval": 5},
        "runs",
        "runs is required with an interval (drip-feed)",
    ),
    (
        "Default",
        {"link": POST, "quantity": 100, "runs": 0, "interval": 5},
        "runs",
        "runs must be at least 1",
    ),
    (
        "Default",
        {"link": "javascript:alert(1)", "quantity": 100},
        "link",
        "link must be an http:// or https:// address",
    ),
    (
        "Default",
        {"link": "ftp://files.example/x", "quantity": 100},
        "link",
        "link must be an http:// or https:// address",
    ),
    (
        "Default",
        {"link": "https:///nohost", "quantity": 100},
        "link",
        "link must be an http:// or https:// address",
    ),
    (
        "Default",
        {"link": "two words", "quantity": 100},
        "link",
        "link must be one address without spaces",
    ),
    (
        "Default",
        {"link": "http:/one-slash", "quantity": 100},
        "link",
        "link must be an http:// or https:// address",
    ),
    (
        "Default",
        {"link": POST, "quantity": 100, "comments": "hi"},
        "comments",
        "comments is not used by Default orders",
    ),
    (
        "Package",
        {"link": POST, "quantity": 100},
        "quantity",
        "quantity is not used by Package orders",
    ),
    ("Package", {"link": "  "}, "link", "link is required"),
    (
        "SEO",
        {"link": POST, "quantity": 50, "keywords": "\n \n"},
        "keywords",
        "keywords is required",
    ),
    (
        "Custom Comments",
        {"link": POST, "comments": "a\nb\n\nc"},
        "comments",
        "Custom Comments: 3 comments given, the service needs at least 10",
    ),
    (
        "Custom Comments",
        {"link": POST, "comments": "only one"},
        "comments",
        "Custom Comments: 1 comment given, the service needs at least 10",
    ),
    (
        "Custom Comments",
        {"link": POST, "comments": TEN_LINES, "quantity": 12},
        "quantity",
        "quantity is the number of comments (10): leave it empty or make it match",
    ),
    ("Mentions", {"link": POST, "quantity": 20}, "usernames", "usernames is required"),
    (
        "Mentions Custom List",
        {"link": POST, "usernames": "a\nb"},
        "usernames",
        "Mentions Custom List: 2 usernames given, the service needs at least 10",
    ),
    (
        "Mentions User Followers",
        {"link": POST, "quantity": 10},
        "username",
        "profile URL is required",
    ),
    (
        "Mentions Media Likers",
        {"link": POST, "quantity": 10, "media": "mailto:x@y"},
        "media",
        "media URL must be an http:// or https:// address",
    ),
    (
        "Subscriptions",
        {"link": POST, "username": "a", "min": 10, "max": 20, "delay": 0},
        "link",
        "link is not used by Subscriptions orders",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 5, "max": 20, "delay": 0},
        "min",
        "minimum per post must be between 10 and 1000",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 10, "max": 5000, "delay": 0},
        "max",
        "maximum per post must be between 10 and 1000",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 50, "max": 20, "delay": 0},
        "max",
        "the maximum per post must not be less than the minimum",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 10, "max": 20, "delay": 7},
        "delay",
        "delay must be one of: 0, 5, 10, 15, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, "
        "420, 480, 540, 600",
    ),
    ("Subscriptions", {"username": "a", "min": 10, "max": 20}, "delay", "delay is required"),
    (
        "Subscriptions",
        {"username": "a", "min": 10, "max": 20, "delay": 0, "expiry": "25/11/2026"},
        "expiry",
        "expiry must not be in the past",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 10, "max": 20, "delay": 0, "expiry": "12/31/2026"},
        "expiry",
        "expiry must be a date as day/month/year, such as 31/12/2026",
    ),
    (
        "Subscriptions",
        {"username": "a", "min": 10, "max": 20, "delay": 0, "posts": 0},
        "posts",
        "new posts must be at least 1",
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "country": "US", "device": "1", "type_of_traffic": "1"},
        "google_keyword",
        "google keyword is required when type of traffic is 1 (Google Keyword)",
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "country": "US", "device": "1", "type_of_traffic": "2"},
        "referring_url",
        "referring URL is required when type of traffic is 2 (Custom Referrer)",
    ),
    (
        "Web Traffic",
        {
            "link": POST,
            "quantity": 100,
            "country": "US",
            "device": "1",
            "type_of_traffic": "3",
            "google_keyword": "x",
        },
        "google_keyword",
        "google keyword is only used when type of traffic is 1 (Google Keyword)",
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "country": "US", "device": "6", "type_of_traffic": "3"},
        "device",
        "device must be one of: 1 (Desktop), 2 (Mobile (Android)), 3 (Mobile (iOS)), "
        "4 (Mixed (Mobile)), 5 (Mixed (Mobile & Desktop))",
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "country": "U5", "device": "1", "type_of_traffic": "3"},
        "country",
        'country must be a country code or name, such as "US" or "United States"',
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "device": "1", "type_of_traffic": "3"},
        "country",
        "country is required",
    ),
    ("Custom Comments Package", {"link": POST}, "comments", "comments is required"),
    ("Comment Likes", {"link": POST, "quantity": 10}, "username", "comment owner is required"),
    (
        "Poll",
        {"link": POST, "quantity": 10, "answer_number": 0},
        "answer_number",
        "answer number must be at least 1",
    ),
    (
        "Poll",
        {"link": POST, "quantity": 10, "answer_number": "first"},
        "answer_number",
        "answer number must be a whole number",
    ),
    (
        "Comment Replies",
        {"link": POST, "comments": TEN_LINES},
        "username",
        "comment owner is required",
    ),
    (
        "Comment Replies",
        {"link": POST, "username": "a", "comments": "\n".join(["x"] * 1001)},
        "comments",
        "Comment Replies: 1001 comments given, the service takes at most 1000",
    ),
    ("Invites from Groups", {"link": POST, "quantity": 1}, "groups", "groups is required"),
    (
        "Mentions with Hashtags",
        {"link": POST, "quantity": 10, "usernames": "a"},
        "hashtags",
        "hashtags is required",
    ),
    (
        "Mentions Hashtag",
        {"link": POST, "quantity": 10, "hashtag": ["a", "b"]},
        "hashtag",
        "hashtag must be a single text value",
    ),
]


@pytest.mark.parametrize(
    "type_name, params, field, message",
    INVALID,
    ids=[f"{v[0]}-{v[2]}-{i}" for i, v in enumerate(INVALID)],
)
def test_it_explains_what_is_wrong_with_an_invalid_order(type_name, params, field, message):
    result = check(type_name, params)
    assert not result.ok
    assert field in result.errors, result.errors
    assert message in result.errors[field]


def test_every_type_has_an_invalid_example():
    assert {v[0] for v in INVALID} == {t.name for t in ORDER_TYPES}


def test_it_refuses_drip_feed_on_a_service_without_it():
    result = check(
        "Default", {"link": POST, "quantity": 10, "runs": 2, "interval": 5}, dripfeed=False
    )
    assert result.errors["runs"] == ["this service has no drip-feed: leave runs empty"]
    assert "interval" in result.errors


def test_it_reports_every_problem_at_once():
    result = check("Default", {"link": "", "quantity": "x", "extra": "1"})
    assert set(result.errors) == {"link", "quantity", "extra"}
