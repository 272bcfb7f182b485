"""The settlement rules, rule by rule and currency by currency, with no database."""

from decimal import Decimal as D

from orders.models import Movement, Status
from orders.services.settlement import (
    Answer,
    Figures,
    Move,
    Terms,
    is_drip_feed,
    is_subscription,
    markup_ratio,
    placing_moves,
    running,
    running_moves,
    settled,
    settling_moves,
)

# 50,000 units at 2.40 per 1000, sold at 3.12 per 1000 (30 % markup).
PLAIN = Terms(quantity=50_000, cost=D("120"), price=D("156"), currency="USD", ratio=D("1.3"))
DRIP = Terms(
    quantity=10_000, cost=D("24"), price=D("31.2"), currency="USD", ratio=D("1.3"), runs=True
)
SUBSCRIPTION = Terms(
    quantity=None, cost=D(0), price=D(0), currency="USD", ratio=D("1.3"), subscription=True
)


def answer(status, *, remains=None, charge=None, currency="USD") -> Answer:
    return Answer(status, remains, charge, currency)


# ---- Completed ----


def test_a_completed_order_costs_the_providers_charge_and_sells_at_its_price():
    figures = settled(PLAIN, answer(Status.COMPLETED, remains=0, charge=D("118.5")))
    assert figures == Figures(D("118.5"), D("156"), "USD")


def test_a_completed_order_with_no_charge_reported_costs_its_estimate():
    assert settled(PLAIN, answer(Status.COMPLETED, remains=0)) == Figures(D("120"), D("156"), "USD")


# ---- Partial ----


def test_a_partial_order_sells_only_what_was_delivered():
    # 2,679 of 50,000 delivered, charged 6.43: sold 156 × 2,679 / 50,000.
    figures = settled(PLAIN, answer(Status.PARTIAL, remains=47_321, charge=D("6.43")))
    assert figures == Figures(D("6.43"), D("8.35848"), "USD")


def test_a_partial_order_with_no_charge_costs_its_estimate_pro_rata():
    figures = settled(PLAIN, answer(Status.PARTIAL, remains=25_000))
    assert figures == Figures(D("60"), D("78"), "USD")


def test_over_delivery_never_sells_more_than_the_order():
    figures = settled(PLAIN, answer(Status.PARTIAL, remains=-300))
    assert figures == Figures(D("120"), D("156"), "USD")


def test_remains_above_the_quantity_sells_nothing():
    assert settled(PLAIN, answer(Status.PARTIAL, remains=60_000)).price == 0


def test_a_partial_answer_without_remains_sells_the_whole_order():
    assert settled(PLAIN, answer(Status.PARTIAL, charge=D("100"))).price == D("156")


# ---- Canceled, Refunded, Failed ----


def test_a_canceled_order_costs_and_sells_nothing():
    for status in (Status.CANCELED, Status.REFUNDED, Status.FAILED):
        assert settled(PLAIN, answer(status, remains=50_000)) == Figures(D(0), D(0), "USD")


def test_a_canceled_order_whose_provider_kept_a_fee_costs_the_fee_and_sells_nothing():
    figures = settled(PLAIN, answer(Status.CANCELED, charge=D("0.5")))
    assert figures == Figures(D("0.5"), D(0), "USD")


def test_a_zero_charge_on_a_canceled_order_is_no_fee():
    assert settled(PLAIN, answer(Status.REFUNDED, charge=D(0))) == Figures(D(0), D(0), "USD")


# ---- Drip-feed and subscriptions ----


def test_a_drip_feed_order_settles_at_its_charge_and_markup():
    figures = settled(DRIP, answer(Status.COMPLETED, remains=0, charge=D("12")))
    assert figures == Figures(D("12"), D("15.6"), "USD")


def test_a_drip_feed_order_never_sells_above_its_estimated_price():
    figures = settled(DRIP, answer(Status.COMPLETED, remains=0, charge=D("30")))
    assert figures == Figures(D("30"), D("31.2"), "USD")


def test_a_canceled_drip_feed_order_sells_the_runs_it_was_charged_for():
    figures = settled(DRIP, answer(Status.CANCELED, charge=D("6")))
    assert figures == Figures(D("6"), D("7.8"), "USD")


def test_a_drip_feed_order_with_no_charge_falls_back_to_its_status_rule():
    figures = settled(DRIP, answer(Status.PARTIAL, remains=5_000))
    assert figures == Figures(D("12"), D("15.6"), "USD")
    assert settled(DRIP, answer(Status.CANCELED)) == Figures(D(0), D(0), "USD")


def test_a_subscription_settles_at_what_it_was_charged_at_its_markup():
    figures = settled(SUBSCRIPTION, answer(Status.COMPLETED, charge=D("4.5")))
    assert figures == Figures(D("4.5"), D("5.85"), "USD")


def test_a_subscription_charged_nothing_settles_at_nothing():
    assert settled(SUBSCRIPTION, answer(Status.COMPLETED)) == Figures(D(0), D(0), "USD")


def test_a_refunded_subscription_sells_nothing_but_costs_a_kept_fee():
    figures = settled(SUBSCRIPTION, answer(Status.REFUNDED, charge=D("1")))
    assert figures == Figures(D("1"), D(0), "USD")


def test_a_running_subscription_follows_its_charge():
    assert running(SUBSCRIPTION, D("2"), "USD") == Figures(D("2"), D("2.6"), "USD")
    assert running(SUBSCRIPTION, None, "USD") == Figures(D(0), D(0), "USD")


def test_with_no_markup_known_the_charge_is_sold_at_cost():
    terms = Terms(
        quantity=None, cost=D(0), price=D(0), currency="USD", ratio=None, subscription=True
    )
    assert running(terms, D("3"), "USD") == Figures(D("3"), D("3"), "USD")


def test_markup_ratio_needs_a_cost():
    assert markup_ratio(D("2"), D("3")) == D("1.5")
    assert markup_ratio(D(0), D("3")) is None
    assert markup_ratio(None, D("3")) is None


def test_order_kinds_are_told_from_their_type_and_parameters():
    assert is_subscription("Subscriptions") and not is_subscription("Default")
    assert is_drip_feed({"runs": 5}) and not is_drip_feed({"quantity": 100})


# ---- Currencies ----


def test_a_charge_in_another_currency_is_settled_in_it_at_the_orders_markup():
    figures = settled(PLAIN, answer(Status.COMPLETED, remains=0, charge=D("110"), currency="EUR"))
    assert figures == Figures(D("110"), D("143"), "EUR")


def test_a_partial_charge_in_another_currency_is_sold_at_markup_not_pro_rata_of_dollars():
    figures = settled(PLAIN, answer(Status.PARTIAL, remains=25_000, charge=D("55"), currency="EUR"))
    assert figures == Figures(D("55"), D("71.5"), "EUR")


def test_an_order_booked_with_no_currency_keeps_its_estimate_in_the_one_reported():
    terms = Terms(quantity=100, cost=D("1"), price=D("2"), currency="", ratio=D(2))
    assert settled(terms, answer(Status.COMPLETED, remains=0)) == Figures(D("1"), D("2"), "USD")


def test_a_drip_feed_in_another_currency_is_not_capped_by_a_price_in_dollars():
    figures = settled(DRIP, answer(Status.COMPLETED, charge=D("30"), currency="EUR"))
    assert figures == Figures(D("30"), D("39"), "EUR")


# ---- Ledger rows ----


def test_placing_books_the_estimates_as_spend_and_sale():
    assert placing_moves(D("120"), D("156"), "USD") == [
        Move(Movement.SPEND, D("120"), "USD"),
        Move(Movement.SALE, D("156"), "USD"),
    ]


def test_settling_a_partial_order_refunds_and_reverses_the_undelivered_part():
    moves = settling_moves(
        Figures(D("6.43"), D("8.35848"), "USD"), {"USD": (D("120"), D("156"))}, status="partial"
    )
    assert moves == [
        Move(Movement.REFUND, D("-113.57"), "USD"),
        Move(Movement.SALE_REVERSAL, D("-147.64152"), "USD"),
    ]


def test_a_completed_order_charged_less_than_estimated_is_a_spend_adjustment_not_a_refund():
    moves = settling_moves(
        Figures(D("118"), D("156"), "USD"), {"USD": (D("120"), D("156"))}, status="completed"
    )
    assert moves == [Move(Movement.SPEND_ADJUSTMENT, D("-2"), "USD")]


def test_a_charge_above_the_estimate_adds_spend_and_a_higher_price_adds_sale():
    moves = settling_moves(
        Figures(D("121"), D("157"), "USD"), {"USD": (D("120"), D("156"))}, status="partial"
    )
    assert moves == [
        Move(Movement.SPEND_ADJUSTMENT, D("1"), "USD"),
        Move(Movement.SALE_ADJUSTMENT, D("1"), "USD"),
    ]


def test_settling_exactly_the_estimate_writes_nothing():
    booked = {"USD": (D("120"), D("156"))}
    assert settling_moves(Figures(D("120"), D("156"), "USD"), booked, status="completed") == []


def test_a_settlement_in_another_currency_reverses_the_booking_and_posts_in_the_new_one():
    moves = settling_moves(
        Figures(D("110"), D("143"), "EUR"), {"USD": (D("120"), D("156"))}, status="completed"
    )
    assert moves == [
        Move(Movement.SPEND_ADJUSTMENT, D("110"), "EUR"),
        Move(Movement.SALE_ADJUSTMENT, D("143"), "EUR"),
        Move(Movement.SPEND_ADJUSTMENT, D("-120"), "USD"),
        Move(Movement.SALE_REVERSAL, D("-156"), "USD"),
    ]


def test_a_canceled_order_in_another_currency_refunds_the_booking_in_its_own():
    moves = settling_moves(
        Figures(D(0), D(0), "EUR"), {"USD": (D("120"), D("156"))}, status="canceled"
    )
    assert moves == [
        Move(Movement.REFUND, D("-120"), "USD"),
        Move(Movement.SALE_REVERSAL, D("-156"), "USD"),
    ]


def test_a_running_subscription_adjusts_its_spend_and_sale_by_the_increase_of_its_charge():
    moves = running_moves(Figures(D("3"), D("3.9"), "USD"), {"USD": (D("2"), D("2.6"))})
    assert moves == [
        Move(Movement.SPEND_ADJUSTMENT, D("1"), "USD"),
        Move(Movement.SALE_ADJUSTMENT, D("1.3"), "USD"),
    ]


def test_a_running_subscription_whose_charge_went_down_is_refunded():
    moves = running_moves(Figures(D("1"), D("1.3"), "USD"), {"USD": (D("2"), D("2.6"))})
    assert moves == [
        Move(Movement.REFUND, D("-1"), "USD"),
        Move(Movement.SALE_REVERSAL, D("-1.3"), "USD"),
    ]


def test_an_absurd_charge_at_a_steep_markup_is_sold_for_at_most_the_largest_amount_kept():
    steep = Terms(
        quantity=None, cost=D(0), price=D(0), currency="USD", ratio=D(500), subscription=True
    )
    assert running(steep, D("999999999999999"), "USD").price == D("999999999999999")
