"""The order-type table and `validate_order`: valid and invalid examples for every type."""

from datetime import date

import pytest

from orders.upstream import (
    ORDER_TYPES,
    FieldKind,
    QuantityRule,
    order_type_for,
    validate_order,
)

TODAY = date(2026, 11, 26)
POST = "https://instagram.com/p/abc"
TEN_LINES = "\n".join(f"line {i}" for i in range(10))


def check(type_name, params, *, min_qty=10, max_qty=1000, dripfeed=True):
    return validate_order(
        type_name, params, min_qty=min_qty, max_qty=max_qty, dripfeed=dripfeed, today=TODAY
    )


def test_the_table_holds_the_15_types_of_the_spec_and_two_seen_on_real_panels():
    assert [t.name for t in ORDER_TYPES] == [
        "Default",
        "Package",
        "SEO",
        "Custom Comments",
        "Mentions",
        "Mentions Custom List",
        "Mentions User Followers",
        "Mentions Media Likers",
        "Subscriptions",
        "Web Traffic",
        "Custom Comments Package",
        "Comment Likes",
        "Poll",
        "Comment Replies",
        "Invites from Groups",
        "Mentions with Hashtags",
        "Mentions Hashtag",
    ]


def test_every_type_describes_its_fields_for_a_form():
    for spec in ORDER_TYPES:
        names = [f.name for f in spec.fields]
        assert len(names) == len(set(names)), spec.name
        assert all(f.label for f in spec.fields)
        assert ("link" in names) is (spec.name != "Subscriptions")
        if spec.quantity_rule is QuantityRule.LINES:
            counted = spec.field(spec.count_field)
            assert counted is not None and counted.kind is FieldKind.LINES


@pytest.mark.parametrize(
    "name", ["default", "  Custom Comments ", "WEB TRAFFIC", "mentions  hashtag"]
)
def test_it_finds_a_type_trimmed_and_case_insensitively(name):
    spec = order_type_for(name)
    assert spec is not None
    assert spec.key == " ".join(name.split()).casefold()


@pytest.mark.parametrize("name", ["", "Followers", "Default2", "Custom"])
def test_it_does_not_guess_an_unknown_type(name):
    assert order_type_for(name) is None


def test_it_reports_an_unknown_type_as_not_supported():
    result = check(" Story Views ", {"link": POST, "quantity": 100})
    assert result.errors == {"__all__": ["Order type 'Story Views' is not supported yet"]}
    assert not result.ok and result.spec is None


VALID = [
    ("Default", {"link": POST, "quantity": "100"}, {"link": POST, "quantity": 100}, 100),
    (
        "Default",
        {"link": POST, "quantity": 100, "runs": "5", "interval": 30},
        {"link": POST, "quantity": 100, "runs": 5, "interval": 30},
        500,
    ),
    ("Package", {"link": POST}, {"link": POST}, None),
    (
        "SEO",
        {"link": POST, "quantity": 50, "keywords": "smm panel\r\ncheap likes\n"},
        {"link": POST, "quantity": 50, "keywords": "smm panel\ncheap likes"},
        50,
    ),
    (
        "Custom Comments",
        {"link": POST, "comments": TEN_LINES},
        {"link": POST, "comments": TEN_LINES},
        10,
    ),
    (
        "Mentions",
        {"link": POST, "quantity": 20, "usernames": ["alice", "bob"]},
        {"link": POST, "quantity": 20, "usernames": "alice\nbob"},
        20,
    ),
    (
        "Mentions Custom List",
        {"link": POST, "usernames": [f"user{i}" for i in range(12)], "quantity": "12"},
        {"link": POST, "usernames": "\n".join(f"user{i}" for i in range(12))},
        12,
    ),
    (
        "Mentions User Followers",
        {"link": POST, "quantity": 10, "username": "https://instagram.com/someone"},
        {"link": POST, "quantity": 10, "username": "https://instagram.com/someone"},
        10,
    ),
    (
        "Mentions Media Likers",
        {"link": POST, "quantity": 10, "media": "https://instagram.com/p/xyz"},
        {"link": POST, "quantity": 10, "media": "https://instagram.com/p/xyz"},
        10,
    ),
    (
        "Subscriptions",
        {"username": "someone", "min": 10, "max": "200", "delay": "30", "expiry": "31/12/2026"},
        {"username": "someone", "min": 10, "max": 200, "delay": "30", "expiry": "31/12/2026"},
        None,
    ),
    (
        "Subscriptions",
        {
            "username": "someone",
            "min": 10,
            "max": 10,
            "posts": 5,
            "old_posts": 0,
            "delay": 0,
            "expiry": date(2026, 11, 26),
        },
        {
            "username": "someone",
            "min": 10,
            "max": 10,
            "posts": 5,
            "old_posts": 0,
            "delay": "0",
            "expiry": "26/11/2026",
        },
        None,
    ),
    (
        "Web Traffic",
        {
            "link": POST,
            "quantity": 100,
            "country": "US",
            "device": "1",
            "type_of_traffic": "1",
            "google_keyword": "best smm panel",
        },
        {
            "link": POST,
            "quantity": 100,
            "country": "US",
            "device": "1",
            "type_of_traffic": "1",
            "google_keyword": "best smm panel",
        },
        100,
    ),
    (
        "Web Traffic",
        {
            "link": POST,
            "quantity": 100,
            "country": "United States",
            "device": "Mixed (Mobile)",
            "type_of_traffic": 2,
            "referring_url": "https://google.com/",
            "runs": 2,
            "interval": 60,
        },
        {
            "link": POST,
            "quantity": 100,
            "country": "United States",
            "device": "4",
            "type_of_traffic": "2",
            "referring_url": "https://google.com/",
            "runs": 2,
            "interval": 60,
        },
        200,
    ),
    (
        "Web Traffic",
        {"link": POST, "quantity": 100, "country": "de", "device": 5, "type_of_traffic": "3"},
        {"link": POST, "quantity": 100, "country": "de", "device": "5", "type_of_traffic": "3"},
        100,
    ),
    (
        "Custom Comments Package",
        {"link": POST, "comments": "one\ntwo"},
        {"link": POST, "comments": "one\ntwo"},
        None,
    ),
    (
        "Comment Likes",
        {"link": POST, "quantity": 10, "username": "alice"},
        {"link": POST, "quantity": 10, "username": "alice"},
        10,
    ),
    (
        "Poll",
        {"link": POST, "quantity": 10, "answer_number": "2"},
        {"link": POST, "quantity": 10, "answer_number": 2},
        10,
    ),
    (
        "Comment Replies",
        {"link": POST, "username": "alice", "comments": TEN_LINES},
        {"link": POST, "username": "alice", "comments": TEN_LINES},
        10,
    ),
    (
        "Invites from Groups",
        {"link": POST, "quantity": 10, "groups": "https://t.me/a\nhttps://t.me/b"},
        {"link": POST, "quantity": 10, "groups": "https://t.me/a\nhttps://t.me/b"},
        10,
    ),
    (
        "Mentions with Hashtags",
        {"link": POST, "quantity": 10, "usernames": "alice", "hashtags": "#one\n#two"},
        {"link": POST, "quantity": 10, "usernames": "alice", "hashtags": "#one\n#two"},
        10,
    ),
    (
        "Mentions Hashtag",
        {"link": POST, "quantity": 10, "hashtag": "#sale"},
        {"link": POST, "quantity": 10, "hashtag": "#sale"},
        10,
    ),
    (
        "Default",
        {"link": "@someone", "quantity": 10, "service": 4},
        {"link": "@someone", "quantity": 10},
        10,
    ),
    (
        "Default",
        {"link": "example.com:8080/page", "quantity": 10},
        {"link": "example.com:8080/page", "quantity": 10},
        10,
    ),
]


@pytest.mark.parametrize(
    "type_name, params, cleaned, quantity", VALID, ids=[f"{v[0]}-{i}" for i, v in enumerate(VALID)]
)
def test_it_accepts_a_valid_order_of_each_type(type_name, params, cleaned, quantity):
    result = check(type_name, params)
    assert result.errors == {}
    assert result.ok
    assert result.params == cleaned
    assert result.quantity == quantity


def test_every_type_has_a_valid_example():
    assert {v[0] for v in VALID} == {t.name for t in ORDER_TYPES}


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


def test_it_accepts_iso_dates_from_a_date_input():
    params = {"username": "a", "min": 10, "max": 20, "delay": 0, "expiry": "2026-12-31"}
    assert check("Subscriptions", params).params["expiry"] == "31/12/2026"


def test_its_cleaned_params_are_what_the_client_sends():
    result = check(
        "Mentions", {"link": f" {POST} ", "quantity": " 20 ", "usernames": ["a ", "", "b"]}
    )
    assert result.params == {"link": POST, "quantity": 20, "usernames": "a\nb"}
