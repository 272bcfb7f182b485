"""Accounts of the simulated panel: an API key, a balance and a currency."""

import secrets
from decimal import Decimal

from django.db import transaction

from simulator.ledger import ledger_append
from simulator.models import SimAccount, SimMove


def new_key() -> str:
    return secrets.token_hex(16)  # 32 hex characters, like real panels' keys


def account_create(
    *, api_key: str | None = None, balance: Decimal = Decimal("0"), name: str = ""
) -> SimAccount:
    with transaction.atomic():
        account = SimAccount.objects.create(
            api_key=api_key or new_key(), balance=balance, name=name
        )
        ledger_append(account.pk, SimMove.OPENING, balance)
    return account


def account_ensure(*, api_key: str, balance: Decimal = Decimal("0"), name: str = "") -> SimAccount:
    """The account with this key, created with `balance` if it does not exist yet."""
    with transaction.atomic():
        account, created = SimAccount.objects.get_or_create(
            api_key=api_key, defaults={"balance": balance, "name": name}
        )
        if created:
            ledger_append(account.pk, SimMove.OPENING, balance)
    return account
