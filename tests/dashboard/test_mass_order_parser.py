"""The mass-order line format, parsed with no database: text in, lines out."""

import pytest

from orders.services.mass_order import (
    field_key,
    line_params,
    mass_order_parse,
    split_unescaped,
    unescape,
)
from orders.upstream import order_type_for


def one(text: str):
    [line] = mass_order_parse(text)
    return line


def test_a_plain_line_gives_the_service_id_link_and_quantity():
    line = one("12 | https://instagram.com/p/abc | 1000")
    assert (line.service_id, line.link, line.quantity) == (
        12,
        "https://instagram.com/p/abc",
        "1000",
    )
    assert line.extras == {}
    assert line.errors == ()
    assert line.number == 1


def test_whitespace_around_parts_and_lines_does_not_matter():
    line = one("   12|   https://instagram.com/p/abc\t|1000   | answer_number =  2  ")
    assert (line.service_id, line.link, line.quantity) == (
        12,
        "https://instagram.com/p/abc",
        "1000",
    )
    assert line.extras == {"answer_number": "2"}


def test_blank_lines_and_comments_are_skipped_and_line_numbers_are_kept():
    lines = mass_order_parse("# my orders\n\n   \n1 | a | 100\r\n  # another note\n2 | b | 200\n")
    assert [(line.number, line.service_id) for line in lines] == [(4, 1), (6, 2)]


def test_a_hash_inside_a_value_is_not_a_comment():
    line = one("14 | https://instagram.com/p/x | 500 | hashtag=#summer")
    assert line.extras == {"hashtag": "#summer"}


def test_an_empty_text_has_no_lines():
    assert mass_order_parse("") == []
    assert mass_order_parse("\n # nothing\n") == []


def test_a_line_of_two_parts_has_no_quantity():
    line = one("4 | https://instagram.com/p/abc")
    assert (line.link, line.quantity, line.errors) == ("https://instagram.com/p/abc", "", ())


def test_a_line_with_only_the_service_id_parses_and_leaves_the_rest_to_validation():
    line = one("4")
    assert (line.service_id, line.link, line.quantity, line.errors) == (4, "", "", ())


def test_links_may_contain_equals_signs_and_semicolons():
    line = one("1 | https://youtube.com/watch?v=abc;t=1 | 500")
    assert line.link == "https://youtube.com/watch?v=abc;t=1"
    assert line.errors == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc | https://x.com | 10", "the service id must be a number, not 'abc'"),
        ("-3 | https://x.com | 10", "the service id must be a number, not '-3'"),
        ("1.5 | https://x.com | 10", "the service id must be a number, not '1.5'"),
        ("² | https://x.com | 10", "the service id must be a number, not '²'"),
        ("①② | https://x.com | 10", "the service id must be a number, not '①②'"),
        ("1" * 19 + " | https://x.com | 10", "the service id must be a number"),
        (" | https://x.com | 10", "the service id must be a number, not ''"),
        ("1 | https://x.com | 10 | runs", "column 4 ('runs') must be written key=value"),
        ("1 | https://x.com | 10 | =5", "column 4 ('=5') must be written key=value"),
        ("1 | https://x.com | 10 | runs=2 | runs=3", "runs is given twice"),
        ("1 | https://x.com | 10 | link=https://y.com", "link is given twice"),
        ("1 | https://x.com | 10 | quantity=20", "quantity is given twice"),
        ("1 | https://x.com | 10 | service=2", "the service id goes in the first column"),
    ],
)
def test_badly_written_lines_say_what_is_wrong(text, message):
    line = one(text)
    assert any(error.startswith(message) for error in line.errors), line.errors


def test_a_bad_line_reports_every_problem_at_once():
    line = one("x | https://x.com | 10 | oops | a=1 | a=2")
    assert len(line.errors) == 3


def test_link_and_quantity_may_be_given_as_keys_when_their_columns_are_empty():
    line = one("1 | | | link=https://x.com | quantity=100")
    assert line.errors == ()
    params = line_params(line, order_type_for("Default"))
    assert params == {"link": "https://x.com", "quantity": "100"}


def test_keys_are_field_names_or_labels_in_any_case():
    assert field_key("Answer number") == "answer_number"
    assert field_key("ANSWER-NUMBER") == "answer_number"
    assert field_key(" type of  traffic ") == "type_of_traffic"


def test_list_fields_split_their_items_on_semicolons():
    line = one("5 | https://instagram.com/p/a | | comments=Love it! ; So good;;  Wow ")
    params = line_params(line, order_type_for("Custom Comments"))
    assert params == {"link": "https://instagram.com/p/a", "comments": "Love it!\nSo good\nWow"}


def test_an_escaped_semicolon_stays_inside_its_item():
    line = one(r"5 | https://instagram.com/p/a | | comments=So good\; really;Wow")
    params = line_params(line, order_type_for("Custom Comments"))
    assert params["comments"] == "So good; really\nWow"


def test_an_escaped_pipe_stays_inside_its_value():
    line = one(r"5 | https://instagram.com/p/a | | comments=this \| that;other")
    assert line.errors == ()
    params = line_params(line, order_type_for("Custom Comments"))
    assert params["comments"] == "this | that\nother"


def test_an_escaped_backslash_is_one_backslash():
    line = one(r"14 | https://x.com/p | 500 | hashtag=a\\b")
    assert line_params(line, order_type_for("Mentions Hashtag"))["hashtag"] == "a\\b"


def test_a_lone_backslash_is_kept_as_typed():
    assert unescape(r"C:\path") == r"C:\path"
    assert split_unescaped(r"a\b|c", "|") == [r"a\b", "c"]


def test_semicolons_in_a_field_that_is_not_a_list_are_kept():
    line = one("21 | https://x.com | 1000 | google_keyword=shoes;boots")
    params = line_params(line, order_type_for("Web Traffic"))
    assert params["google_keyword"] == "shoes;boots"


@pytest.mark.parametrize(
    ("type_name", "extra", "field", "items"),
    [
        ("Mentions", "usernames=ann;bob;cy", "usernames", "ann\nbob\ncy"),
        ("Mentions Custom List", "usernames=ann;bob", "usernames", "ann\nbob"),
        ("SEO", "keywords=best shoes;cheap boots", "keywords", "best shoes\ncheap boots"),
        (
            "Invites from Groups",
            "groups=https://t.me/a;https://t.me/b",
            "groups",
            "https://t.me/a\nhttps://t.me/b",
        ),
        ("Mentions with Hashtags", "hashtags=#a;#b", "hashtags", "#a\n#b"),
        ("Comment Replies", "comments=Agreed;Same", "comments", "Agreed\nSame"),
        ("Custom Comments Package", "comments=Nice;Great", "comments", "Nice\nGreat"),
    ],
)
def test_every_list_field_takes_items_separated_by_semicolons(type_name, extra, field, items):
    line = one(f"9 | https://x.com/p | | {extra}")
    assert line_params(line, order_type_for(type_name))[field] == items


def test_empty_parts_are_left_out_of_the_parameters():
    line = one("4 | https://x.com/p |  | ")
    assert line_params(line, order_type_for("Package")) == {"link": "https://x.com/p"}


def test_subscriptions_are_written_with_an_empty_link_column():
    line = one("15 | | | username=me | min=50 | max=100 | delay=0")
    params = line_params(line, order_type_for("Subscriptions"))
    assert params == {"username": "me", "min": "50", "max": "100", "delay": "0"}


def test_a_thousand_lines_parse_quickly():
    text = "\n".join(
        f"{n} | https://instagram.com/p/{n} | 100 | runs=2 | interval=5" for n in range(1000)
    )
    lines = mass_order_parse(text)
    assert len(lines) == 1000
    assert lines[-1].service_id == 999
