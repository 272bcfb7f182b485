"""`validate_order` accepts a valid order of every type and cleans it for `add`."""

from datetime import date

import pytest

from orders.upstream import ORDER_TYPES
from tests.upstream.validation_cases import POST, TEN_LINES, check

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


def test_it_accepts_iso_dates_from_a_date_input():
    params = {"username": "a", "min": 10, "max": 20, "delay": 0, "expiry": "2026-12-31"}
    assert check("Subscriptions", params).params["expiry"] == "31/12/2026"


def test_its_cleaned_params_are_what_the_client_sends():
    result = check(
        "Mentions", {"link": f" {POST} ", "quantity": " 20 ", "usernames": ["a ", "", "b"]}
    )
    assert result.params == {"link": POST, "quantity": 20, "usernames": "a\nb"}
