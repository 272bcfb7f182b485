"""Every way `add` is refused, with the texts real panels answer (always with HTTP 200)."""

import pytest

from simulator.models import SimOrder
from simulator.testing import API_URL

LINK = "https://instagram.com/p/CxYz123"
COMMENTS_5 = "\n".join(f"comment {i}" for i in range(5))
TRAFFIC = {"service": 21, "link": "https://shop.example.com", "quantity": 1000, "device": 1}

REFUSALS = [
    ("unknown service", {"service": 9999, "link": LINK, "quantity": 100}, "Incorrect service ID"),
    ("service not a number", {"service": "one", "link": LINK}, "Incorrect service ID"),
    ("no service", {"link": LINK, "quantity": 100}, "Incorrect service ID"),
    ("no link", {"service": 1, "quantity": 100}, "Incorrect link"),
    ("text for a link", {"service": 1, "link": "my profile", "quantity": 100}, "Incorrect link"),
    ("other scheme", {"service": 1, "link": "ftp://x.com/a", "quantity": 100}, "Incorrect link"),
    ("below min", {"service": 1, "link": LINK, "quantity": 49}, "Quantity less than minimal 50"),
    ("zero", {"service": 1, "link": LINK, "quantity": 0}, "Quantity less than minimal 50"),
    (
        "above max",
        {"service": 1, "link": LINK, "quantity": 10001},
        "Quantity more than maximum 10000",
    ),
    ("quantity text", {"service": 1, "link": LINK, "quantity": "lots"}, "Incorrect quantity"),
    ("quantity decimal", {"service": 1, "link": LINK, "quantity": "100.5"}, "Incorrect quantity"),
    ("no quantity", {"service": 1, "link": LINK}, "Incorrect quantity"),
    (
        "too few comment lines",
        {"service": 5, "link": LINK, "comments": COMMENTS_5},
        "Quantity less than minimal 10",
    ),
    (
        "too many comment lines",
        {"service": 8, "link": LINK, "username": "u", "comments": "x\n" * 501},
        "Quantity more than maximum 500",
    ),
    ("no comments", {"service": 5, "link": LINK, "comments": "\n \n"}, "Incorrect comments"),
    ("no keywords", {"service": 20, "link": LINK, "quantity": 1000}, "Incorrect keywords"),
    ("no usernames", {"service": 9, "link": LINK, "quantity": 100}, "Incorrect usernames"),
    (
        "too few usernames",
        {"service": 10, "link": LINK, "usernames": "a\nb"},
        "Quantity less than minimal 10",
    ),
    ("no profile to scrape", {"service": 11, "link": LINK, "quantity": 500}, "Incorrect username"),
    ("no media", {"service": 12, "link": LINK, "quantity": 500}, "Incorrect media"),
    (
        "media not a link",
        {"service": 12, "link": LINK, "quantity": 500, "media": "that post"},
        "Incorrect media",
    ),
    ("no comment owner", {"service": 7, "link": LINK, "quantity": 20}, "Incorrect username"),
    ("no poll answer", {"service": 26, "link": LINK, "quantity": 100}, "Incorrect answer number"),
    (
        "poll answer zero",
        {"service": 26, "link": LINK, "quantity": 100, "answer_number": 0},
        "Incorrect answer number",
    ),
    ("no groups", {"service": 23, "link": LINK, "quantity": 100}, "Incorrect groups"),
    (
        "no hashtags",
        {"service": 13, "link": LINK, "quantity": 100, "usernames": "a"},
        "Incorrect hashtags",
    ),
    ("no hashtag", {"service": 14, "link": LINK, "quantity": 500}, "Incorrect hashtag"),
    (
        "reply without username",
        {"service": 8, "link": LINK, "comments": COMMENTS_5},
        "Incorrect username",
    ),
    (
        "traffic without country",
        TRAFFIC | {"type_of_traffic": 3},
        "Incorrect country",
    ),
    (
        "traffic with unknown device",
        TRAFFIC | {"country": "US", "device": 9, "type_of_traffic": 3},
        "Incorrect device",
    ),
    (
        "keyword traffic without keyword",
        TRAFFIC | {"country": "United States", "type_of_traffic": 1},
        "Incorrect google keyword",
    ),
    (
        "referrer traffic without referrer",
        TRAFFIC | {"country": "US", "type_of_traffic": 2},
        "Incorrect referring url",
    ),
    (
        "subscription without username",
        {"service": 15, "min": 50, "max": 100, "delay": 0},
        "Incorrect username",
    ),
    (
        "subscription min above max",
        {"service": 15, "username": "u", "min": 500, "max": 100, "delay": 0},
        "Incorrect quantity",
    ),
    (
        "subscription max above the service's",
        {"service": 15, "username": "u", "min": 50, "max": 20000, "delay": 0},
        "Quantity more than maximum 10000",
    ),
    (
        "subscription delay off the list",
        {"service": 15, "username": "u", "min": 50, "max": 100, "delay": 7},
        "Incorrect delay",
    ),
    (
        "subscription expiring in the past",
        {"service": 15, "username": "u", "min": 50, "max": 100, "delay": 0, "expiry": "1/1/2001"},
        "Incorrect expiry",
    ),
    (
        "subscription expiry not d/m/Y",
        {"service": 15, "username": "u", "min": 50, "max": 100, "delay": 0, "expiry": "2031-01-01"},
        "Incorrect expiry",
    ),
    (
        "drip-feed on a service without it",
        {"service": 18, "link": LINK, "quantity": 100, "runs": 5, "interval": 10},
        "Drip-feed is disabled for this service",
    ),
    (
        "drip-feed above max in total",
        {"service": 1, "link": LINK, "quantity": 5000, "runs": 3, "interval": 10},
        "Quantity more than maximum 10000",
    ),
    (
        "drip-feed without interval",
        {"service": 1, "link": LINK, "quantity": 100, "runs": 3},
        "Incorrect interval",
    ),
]


@pytest.mark.parametrize(
    ("fields", "error"), [case[1:] for case in REFUSALS], ids=[case[0] for case in REFUSALS]
)
def test_it_refuses_a_bad_order_with_the_panels_text(sim_post, fields, error):
    response = sim_post("add", **fields)
    assert response.status_code == 200
    assert response.json() == {"error": error}
    assert not SimOrder.objects.exists()


def test_it_refuses_a_wrong_key_before_anything_else(sim_post):
    response = sim_post("add", key="not-a-key", service=9999)
    assert (response.status_code, response.json()) == (200, {"error": "Invalid API key"})


def test_it_refuses_a_missing_key(sim, sim_session):
    response = sim_session.post(API_URL, data={"action": "balance"}, timeout=5)
    assert response.json() == {"error": "Invalid API key"}


def test_it_accepts_a_link_without_scheme_and_a_country_by_name(sim_api):
    assert "order" in sim_api("add", service=1, link="instagram.com/natgeo", quantity=100)
    referred = {"country": "United States", "type_of_traffic": 2, "service": 22}
    answer = sim_api("add", **TRAFFIC | referred, referring_url="https://news.example.org/a")
    assert "order" in answer
