"""How big each run is: the issue's full and quick sizes, and a tiny one for the test suite."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    name: str
    active_orders: int  # orders in the polling round, mirrored in the simulator
    page_orders: int  # orders in the database for the pages (the active ones included)
    services: int  # the simulator's catalogue
    baseline_sample: int  # orders polled one call each (a rate, extrapolated to the round)
    placements: int  # orders placed through order_place + order_submit
    timeline_events: int  # events on the order whose page is measured
    page_samples: int  # timed requests per page
    mass_orders: int = 200  # orders placed at once at 60 calls a minute (simulated clock)
    customers: int = 100  # API customers; one in CUSTOMER_SHARE of the final orders is theirs
    api_rounds: int = 200  # timed requests to our API v2, per action


FULL = Sizes("full", 100_000, 1_000_000, 10_000, 5_000, 1_000, 1_000, 21)
QUICK = Sizes("quick", 10_000, 100_000, 10_000, 1_000, 1_000, 1_000, 11, customers=20)
TINY = Sizes("tiny", 300, 1_000, 200, 20, 10, 50, 3, mass_orders=30, customers=2, api_rounds=5)
