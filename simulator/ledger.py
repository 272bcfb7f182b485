"""The simulated panel's own ledger: one entry wherever an account's balance changes.

Callers append in the transaction that moves the balance, so `balance == sum(entries)` holds
for every account at every commit; `account_statement` is what a test holds our books
against.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from simulator.models import SimAccount, SimLedgerEntry, SimMove

ZERO = Decimal("0")


def ledger_append(
    account_id: int, kind: SimMove, amount: Decimal, *, order_id: int | None = None, memo: str = ""
) -> None:
    if amount:
        SimLedgerEntry.objects.create(
            account_id=account_id, kind=kind, amount=amount, order_id=order_id, memo=memo[:200]
        )


def account_move(account_id: int, kind: SimMove, amount: Decimal, memo: str = "") -> Decimal:
    """Add `amount` (signed) to the balance with its entry; returns the new balance.

    A fee may take the balance below zero, as a provider's own deduction can."""
    with transaction.atomic():
        SimAccount.objects.filter(pk=account_id).update(balance=F("balance") + amount)
        ledger_append(account_id, kind, amount, memo=memo)
        return SimAccount.objects.get(pk=account_id).balance


def account_set(account_id: int, balance: Decimal, memo: str = "set by the control") -> None:
    """Set the balance outright; the ledger gets the difference."""
    with transaction.atomic():
        account = SimAccount.objects.select_for_update().get(pk=account_id)
        ledger_append(account_id, SimMove.SET, balance - account.balance, memo=memo)
        account.balance = balance
        account.save(update_fields=["balance"])


def ledger_sum(account_id: int, kinds: tuple[str, ...] | None = None) -> Decimal:
    entries = SimLedgerEntry.objects.filter(account_id=account_id)
    if kinds is not None:
        entries = entries.filter(kind__in=kinds)
    return entries.aggregate(total=Sum("amount", default=ZERO))["total"]


def account_statement(account_id: int) -> dict[str, Decimal]:
    """What the account paid and got, by kind, from its own entries."""
    rows = (
        SimLedgerEntry.objects.filter(account_id=account_id)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["kind"]: row["total"] for row in rows}
