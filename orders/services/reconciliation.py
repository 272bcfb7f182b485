"""Holding each balance sync against the ledger, and what staff do about a difference.

A check's expected balance is the balance of the check it is compared from, moved by what
the provider's ledger moved since: less the spend kinds, plus top-ups and corrections, in
the check's currency. It is compared from the last check that staff may trust: not one taken
while an order was being submitted, not one flagged and left unexplained (a flagged check
that a later one contradicts was a matter of timing, so the later one is compared from the
last good balance, not from the odd one). Acknowledging a drift accepts that balance as the
new starting point; recording a correction instead explains it in the ledger.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from orders.models import (
    FUNDING_KINDS,
    SPEND_KINDS,
    BalanceCheck,
    LedgerDayTotal,
    LocalState,
    Movement,
    Order,
    Provider,
)
from orders.money import money_text
from orders.services.audit import audit_record
from orders.services.ledger import Posting, ledger_post

log = logging.getLogger(__name__)
ZERO = Decimal(0)


def ledger_net(provider_id: int, currency: str) -> Decimal:
    """Funding minus spend of the provider in `currency`, over its whole ledger.

    Read from the daily roll-up (kept in the same transaction as the rows): a few rows a day
    whatever the number of orders."""
    days = LedgerDayTotal.objects.filter(provider_key=provider_id, currency=currency)
    totals = days.aggregate(
        funding=Sum("amount", filter=Q(kind__in=FUNDING_KINDS), default=ZERO),
        spend=Sum("amount", filter=Q(kind__in=SPEND_KINDS), default=ZERO),
    )
    return totals["funding"] - totals["spend"]


def orders_in_flight(provider_id: int, since: datetime) -> bool:
    """An order of the provider is being submitted, or was placed since `since`: the provider
    may have charged it before the ledger had its row."""
    busy = Q(state=LocalState.SUBMITTING) | Q(submitted_at__gte=since)
    return Order.objects.filter(busy, provider_id=provider_id).exists()


def comparable_check(provider_id: int) -> BalanceCheck | None:
    """The last check later ones are compared from (see the module's docstring)."""
    trusted = Q(flagged=False) | Q(acknowledged_at__isnull=False)
    checks = BalanceCheck.objects.filter(trusted, provider_id=provider_id, in_flight=False)
    return checks.exclude(ledger_net=None).order_by("-at", "-id").first()


def balance_check_record(
    *, provider: Provider, balance: Decimal, currency: str, read_from: datetime
) -> BalanceCheck:
    """Write the check of a balance read that started at `read_from`.

    The ledger is read after the balance: a row booked meanwhile is at worst counted one
    check early, which shows as a drift the next check takes back; orders being submitted
    meanwhile mark the check as in flight (shown, not flagged, not compared from)."""
    in_flight = orders_in_flight(provider.pk, read_from)
    net = ledger_net(provider.pk, currency)
    base = comparable_check(provider.pk)
    check = BalanceCheck(
        provider=provider,
        at=read_from,
        currency=currency,
        balance=balance,
        in_flight=in_flight,
        ledger_net=net,
    )
    if base is not None and base.currency == currency and base.ledger_net is not None:
        check.compared_with = base
        check.expected = base.balance + (net - base.ledger_net)
        check.drift = balance - check.expected
        check.flagged = not in_flight and abs(check.drift) > provider.drift_tolerance
    check.save()
    if check.flagged:
        log.warning(
            "provider=%s balance %s %s drifts %s from the ledger",
            provider.pk,
            balance,
            currency,
            check.drift,
        )
    return check


class ReconcileRefused(Exception):
    """The action cannot be taken as asked; the text is for the person who asked."""


def drift_acknowledge(*, check: BalanceCheck, note: str, user) -> int:
    """Accept a flagged check's balance as it is, with a note; returns the checks it closes.

    Earlier unexplained flags of the same provider are closed with it: they are the same
    story, and this balance is now where later checks are compared from."""
    if not check.flagged:
        raise ReconcileRefused("This check is not flagged: there is nothing to acknowledge.")
    if check.acknowledged_at is not None:
        raise ReconcileRefused("This drift was already acknowledged.")
    now = timezone.now()
    with transaction.atomic():
        closed = BalanceCheck.objects.filter(
            provider_id=check.provider_id,
            flagged=True,
            acknowledged_at__isnull=True,
            at__lte=check.at,
        ).update(acknowledged_at=now, acknowledged_by=user, note=note[:300])
        audit_record(
            actor=user,
            action="drift acknowledged",
            target=f"provider {check.provider.name}",
            check=check.pk,
            drift=money_text(check.drift, check.currency),
            note=note,
        )
    return closed


@dataclass(frozen=True)
class Funding:
    kind: Movement
    amount: Decimal
    reason: str


def provider_fund(*, provider: Provider, funding: Funding, user) -> None:
    """Book a top-up (money paid in) or a correction (signed) on the provider's balance."""
    if funding.kind not in FUNDING_KINDS:
        raise ValueError(f"not a balance movement: {funding.kind}")
    if not provider.currency:
        raise ReconcileRefused("The provider's currency is not known yet: check its balance first.")
    with transaction.atomic():
        ledger_post(
            [
                Posting(
                    kind=funding.kind,
                    amount=funding.amount,
                    currency=provider.currency,
                    provider_id=provider.pk,
                    memo=funding.reason,
                    actor_id=getattr(user, "pk", None),
                )
            ]
        )
        audit_record(
            actor=user,
            action="provider top-up" if funding.kind == Movement.TOP_UP else "balance correction",
            target=f"provider {provider.name}",
            amount=money_text(funding.amount, provider.currency),
            reason=funding.reason,
        )
