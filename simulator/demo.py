"""The demo provider of the embedded default: a funded account on the built-in simulator."""

from decimal import Decimal

from simulator.accounts import account_create, account_ensure
from simulator.catalogue import seed_catalogue
from simulator.models import SimAccount

DEMO_NAME = "demo"
DEMO_BALANCE = Decimal("1000.00000")


def ensure_demo_account(api_key: str | None = None) -> str:
    """The demo account's API key, creating the catalogue and a funded account if missing.

    Idempotent: with no key it returns the same demo account every time; with a key, that
    account (created with the demo balance when new). An existing balance is left alone.
    """
    seed_catalogue()
    if api_key:
        return account_ensure(api_key=api_key, balance=DEMO_BALANCE, name=DEMO_NAME).api_key
    existing = SimAccount.objects.filter(name=DEMO_NAME).order_by("pk").first()
    if existing:
        return existing.api_key
    return account_create(balance=DEMO_BALANCE, name=DEMO_NAME).api_key
