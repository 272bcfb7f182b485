"""The order-type table: 17 types, their fields, and a lookup that never guesses."""

import pytest

from orders.upstream import ORDER_TYPES, FieldKind, QuantityRule, order_type_for
from tests.upstream.validation_cases import POST, check


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
