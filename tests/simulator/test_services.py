"""`services`: the catalogue as real panels list it."""

from simulator.catalogue import STANDARD

PROTOCOL_TYPES = {
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
}


def test_it_lists_services_in_the_seed_shape(sim_api):
    first = sim_api("services")[0]
    assert first == {
        "service": 1,
        "name": "Instagram Followers | Real Mixed | Refill 30D | 20K/Day",
        "type": "Default",
        "category": "Instagram Followers",
        "rate": "0.9",
        "min": "50",
        "max": "10000",
        "refill": True,
        "cancel": True,
        "dripfeed": True,
        "desc": "Start 0-5 min. Mixed real and quality accounts.",
    }


def test_the_standard_catalogue_has_every_type_and_more(sim_api):
    services = sim_api("services")
    types = {service["type"] for service in services}
    assert types >= PROTOCOL_TYPES
    assert {"Mentions with Hashtags", "Mentions Hashtag"} <= types
    assert types - PROTOCOL_TYPES - {"Mentions with Hashtags", "Mentions Hashtag"} == {
        "Custom Reactions"
    }
    assert len({service["category"] for service in services}) >= 8
    assert len(services) == len(STANDARD)


def test_money_and_bounds_are_strings_and_flags_booleans(sim_api):
    for service in sim_api("services"):
        assert isinstance(service["rate"], str)
        assert service["min"].isdigit() and service["max"].isdigit()
        assert isinstance(service["refill"], bool) and isinstance(service["cancel"], bool)


def test_a_wrong_key_gets_no_catalogue(sim_api):
    assert sim_api("services", key="guess") == {"error": "Invalid API key"}
