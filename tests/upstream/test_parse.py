"""The pure normalisation functions: no network, no database."""

from decimal import Decimal

import pytest

from orders.upstream import OrderState, Reason, RefillState
from orders.upstream.parse import (
    parse_count,
    parse_decimal,
    parse_flag,
    parse_id,
    parse_id_list,
    parse_int,
    parse_money,
    parse_optional_count,
    parse_optional_decimal,
    parse_optional_int,
    parse_optional_money,
    parse_reason,
    parse_refill_status,
    parse_status,
    parse_text,
    plain_json,
)
from tests.upstream.recorded import ERROR_TEXTS


@pytest.mark.parametrize(
    "value, expected",
    [(1, 1), ("1", 1), ("23501", 23501), (2**63 - 1, 2**63 - 1), (str(2**63 - 1), 2**63 - 1)],
)
def test_it_reads_ids_from_numbers_and_strings(value, expected):
    assert parse_id(value) == expected
    assert type(parse_id(value)) is int


@pytest.mark.parametrize(
    "value",
    [
        *(0, -1, "abc", "", None, True, "1.5", [], {}, "1e400", "\uff11"),  # a fullwidth 1
        *("1e5", "1.0", "+5", " 5", "5 ", "\u00b2", "\u0665", "-5", "0"),  # ², an Arabic 5
        *(Decimal("23501"), Decimal("23501.0"), 23501.0, 2**63, str(2**63), "9" * 5000),
    ],
)
def test_it_refuses_what_is_not_an_id(value):
    with pytest.raises(ValueError):
        parse_id(value)


@pytest.mark.parametrize(
    "value, text",
    [
        ("0.27819", "0.27819"),
        ("100.84292", "100.84292"),
        ("0.90", "0.90"),
        ("8", "8"),
        (8, "8"),
        (Decimal("0.27819"), "0.27819"),
        (0.1, "0.1"),  # a float arrives as its shortest text, not 0.1000000000000000055...
        (" 1.5 ", "1.5"),
        ("-3.25", "-3.25"),
    ],
)
def test_it_reads_money_from_its_text(value, text):
    assert str(parse_decimal(value)) == text


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1,5", "1_000", "", None, True, "abc", []])
def test_it_refuses_what_is_not_an_amount(value):
    with pytest.raises(ValueError):
        parse_decimal(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.27819", "0.27819000"),
        ("0.123456785", "0.12345679"),  # half up, as PostgreSQL's numeric rounds
        ("0.123456775", "0.12345678"),
        ("1e-30", "0E-8"),
        ("-0", "0E-8"),
        ("999999999999999", "999999999999999.00000000"),
        ("1E+3", "1000.00000000"),
        (Decimal("0.1"), "0.10000000"),
        (0, "0E-8"),
    ],
)
def test_money_is_read_at_the_columns_eight_places(value, expected):
    assert str(parse_money(value)) == expected


@pytest.mark.parametrize(
    "value",
    [
        *("1e20", "1e309", "12345678901234567", "1000000000000000", "999999999999999.999999995"),
        "999999999999999.99",  # SQLite's binary float would store it as 10^15, out of range
        *("-1e20", "NaN", "Infinity", "-inf", "1e99999", 10**30, "\u0661", "1\u00b2"),
    ],
)
def test_money_a_column_cannot_hold_is_refused(value):
    with pytest.raises(ValueError):
        parse_money(value, signed=True)


def test_money_is_negative_only_where_it_can_be():
    with pytest.raises(ValueError, match="negative"):
        parse_money("-0.5")
    with pytest.raises(ValueError, match="negative"):
        parse_optional_money("-0.00000001")
    assert parse_money("-0.5", signed=True) == Decimal("-0.5")
    assert parse_optional_money("") is None


def test_counts_that_cannot_be_negative_are_refused_when_they_are():
    assert parse_count("50") == 50
    assert parse_optional_count(None) is None
    with pytest.raises(ValueError, match="negative"):
        parse_count(-1)
    with pytest.raises(ValueError, match="negative"):
        parse_optional_count("-157")
    with pytest.raises(ValueError):
        parse_count(2**63)


def test_it_reads_an_optional_amount_as_none_when_missing_or_blank():
    assert parse_optional_decimal(None) is None
    assert parse_optional_decimal(" ") is None
    assert parse_optional_decimal("0.5") == Decimal("0.5")


@pytest.mark.parametrize(
    "value, expected",
    [("50", 50), (50, 50), ("-157", -157), (-157, -157), ("50.0", 50), (Decimal("1e3"), 1000)],
)
def test_it_reads_counts_and_keeps_negative_remains(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", ["1.5", "1e30", "9" * 30, False, "ten", None])
def test_it_refuses_what_is_not_a_count(value):
    with pytest.raises(ValueError):
        parse_int(value)


def test_it_reads_an_optional_count_as_none_when_missing_or_blank():
    assert parse_optional_int(None) is None
    assert parse_optional_int("") is None
    assert parse_optional_int("0") == 0


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("False", False),
        ("yes", True),
        (None, False),
        ("", False),
    ],
)
def test_it_reads_flags_in_every_spelling_and_missing_as_false(value, expected):
    assert parse_flag(value) is expected


@pytest.mark.parametrize("value", ["maybe", [], {}, "2x"])
def test_it_refuses_a_flag_it_cannot_read(value):
    with pytest.raises(ValueError):
        parse_flag(value)


def test_it_trims_text_and_turns_numbers_into_text():
    assert parse_text("  Default ") == "Default"
    assert parse_text(None) == ""
    assert parse_text(12) == "12"
    with pytest.raises(ValueError):
        parse_text({"a": 1})


@pytest.mark.parametrize(
    "text, state",
    [
        ("Pending", OrderState.PENDING),
        ("Awaiting approval", OrderState.PENDING),
        ("In progress", OrderState.IN_PROGRESS),
        ("In Progress", OrderState.IN_PROGRESS),
        ("in_progress", OrderState.IN_PROGRESS),
        ("Processing", OrderState.PROCESSING),
        ("Completed", OrderState.COMPLETED),
        ("COMPLETED", OrderState.COMPLETED),
        ("Partial", OrderState.PARTIAL),
        ("Canceled", OrderState.CANCELED),
        ("Cancelled", OrderState.CANCELED),
        ("Refunded", OrderState.REFUNDED),
        ("Fail", OrderState.FAILED),
        ("Failed", OrderState.FAILED),
        (" partial ", OrderState.PARTIAL),
        ("Active", OrderState.IN_PROGRESS),
        ("Paused", OrderState.IN_PROGRESS),
        ("Expired", OrderState.COMPLETED),
        ("Shipped to the moon", OrderState.UNKNOWN),
        ("", OrderState.UNKNOWN),
    ],
)
def test_it_maps_order_status_spellings_and_flags_the_unknown(text, state):
    assert parse_status(text) is state


def test_it_knows_which_order_states_are_final():
    final = {s for s in OrderState if s.is_final}
    assert final == {"completed", "partial", "canceled", "refunded", "failed"}
    assert not OrderState.UNKNOWN.is_final


@pytest.mark.parametrize(
    "text, state",
    [
        ("Pending", RefillState.PENDING),
        ("In progress", RefillState.IN_PROGRESS),
        ("Completed", RefillState.COMPLETED),
        ("Rejected", RefillState.REJECTED),
        ("Cancelled", RefillState.CANCELED),
        ("Canceled", RefillState.CANCELED),
        ("Error", RefillState.ERROR),
        ("something else", RefillState.UNKNOWN),
    ],
)
def test_it_maps_refill_statuses(text, state):
    assert parse_refill_status(text) is state


def test_it_knows_which_refill_states_are_final():
    final = {s for s in RefillState if s.is_final}
    assert final == {"completed", "rejected", "canceled", "error"}


@pytest.mark.parametrize("text, reason", ERROR_TEXTS.items())
def test_it_maps_every_known_error_text_to_a_reason(text, reason):
    assert parse_reason(text) == reason


@pytest.mark.parametrize(
    "text, reason",
    [
        ("INVALID API KEY.", Reason.BAD_KEY),
        ("  not enough funds on balance!  ", Reason.INSUFFICIENT_FUNDS),
        ("Order not eligible for refill", Reason.NOT_REFILLABLE),
        ("Refill is disabled for this service", Reason.NOT_REFILLABLE),
        ("This order cannot be cancelled.", Reason.NOT_CANCELLABLE),
        ("Something odd happened", Reason.UNKNOWN),
        ("", Reason.UNKNOWN),
    ],
)
def test_it_matches_error_texts_ignoring_case_and_trailing_punctuation(text, reason):
    assert parse_reason(text) is reason


def test_it_reads_child_order_ids_as_a_list_or_as_text():
    assert parse_id_list([1, "2", 3]) == [1, 2, 3]
    assert parse_id_list("4, 5,6") == [4, 5, 6]
    assert parse_id_list([]) == []
    with pytest.raises(ValueError):
        parse_id_list({"a": 1})


def test_it_turns_decoded_numbers_back_into_plain_json():
    payload = {"rate": Decimal("0.9"), "nested": [Decimal("2"), {"x": Decimal("1e999")}]}
    assert plain_json(payload) == {"rate": 0.9, "nested": [2.0, {"x": "1E+999"}]}


@pytest.mark.parametrize(
    "text",
    [
        "API is disable for this user or user not found",
        "User not found",
        "Account not found",
        "API key not found",
    ],
)
def test_a_refused_key_or_account_is_never_read_as_a_missing_order(text):
    assert parse_reason(text) in {Reason.BAD_KEY, Reason.ACCOUNT_REFUSED}


@pytest.mark.parametrize("text", ["Order not found", "Incorrect order ID", "Refill not found"])
def test_a_missing_order_or_refill_is_still_not_found(text):
    assert parse_reason(text) is Reason.NOT_FOUND
