"""Money in and out of a customer's account: one appended row per movement.

Every writer locks the customer's row first (PostgreSQL; SQLite's IMMEDIATE transactions
serialise writers already), reads the last row's running balance and appends the next one.
The database backs it up: a row may not skip or repeat a number, nor take the balance below
zero, so even a writer that skipped the lock could not overdraw the account.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import AccountEntry, Customer, EntryKind
from orders.money import money_text
from orders.services.audit import audit_record

ZERO = Decimal(0)


@dataclass
class NotEnoughFunds(Exception):
    balance: Decimal
    needed: Decimal

    def __str__(self) -> str:
        return "Not enough funds on balance"


class AccountRefused(ValueError):
    """A staff movement that cannot be made as asked (the message says why)."""


def account_post(
    customer_id: int,
    kind: EntryKind,
    amount: Decimal,
    *,
    order_id: int | None = None,
    memo: str = "",
    actor=None,
    at=None,
) -> AccountEntry:
    """Append one movement; raises NotEnoughFunds (and writes nothing) if the balance would
    go below zero. Runs in the caller's transaction when there is one."""
    with transaction.atomic():
        currency = (
            Customer.objects.select_for_update()
            .filter(pk=customer_id)
            .values_list("currency", flat=True)
            .get()
        )
        last = (
            AccountEntry.objects.filter(customer_id=customer_id)
            .order_by("-seq")
            .values_list("seq", "balance_after")
            .first()
        )
        seq, balance = last or (0, ZERO)
        after = balance + amount
        if after < 0:
            raise NotEnoughFunds(balance=balance, needed=-amount)
        return AccountEntry.objects.create(
            customer_id=customer_id,
            seq=seq + 1,
            at=at or timezone.now(),
            kind=kind,
            amount=amount,
            currency=currency,
            balance_after=after,
            order_id=order_id,
            memo=memo[:300],
            actor=actor if getattr(actor, "pk", None) else None,
        )


def funds_add(*, customer: Customer, amount: Decimal, reason: str, actor) -> AccountEntry:
    """Staff record money the customer paid us."""
    if amount <= 0:
        raise AccountRefused("Funds added must be more than zero.")
    return _staff_entry(customer, EntryKind.FUNDS, amount, reason, actor, "funds added")


def balance_correct(*, customer: Customer, amount: Decimal, reason: str, actor) -> AccountEntry:
    """A signed correction with its reason; refused if it would take the balance below 0."""
    if amount == 0:
        raise AccountRefused("A correction of zero changes nothing.")
    return _staff_entry(customer, EntryKind.CORRECTION, amount, reason, actor, "balance corrected")


def _staff_entry(
    customer: Customer, kind: EntryKind, amount: Decimal, reason: str, actor, action: str
) -> AccountEntry:
    reason = reason.strip()
    if not reason:
        raise AccountRefused("Say why: the reason is kept with the entry.")
    try:
        with transaction.atomic():
            entry = account_post(customer.pk, kind, amount, memo=reason, actor=actor)
            audit_record(
                actor=actor,
                action=action,
                target=f"customer #{customer.pk}",
                amount=f"{amount} {entry.currency}",
                balance_after=entry.balance_after,
                reason=reason,
            )
    except NotEnoughFunds as exc:
        balance = money_text(exc.balance, customer.currency)
        raise AccountRefused(
            f"The balance is {balance}: a correction may not take it below zero."
        ) from None
    return entry
