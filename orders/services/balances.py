import logging

from django.utils import timezone

from orders.models import Provider
from orders.money import money_text
from orders.services.providers import (
    provider_check_usable,
    provider_client,
    provider_note_failure,
)
from orders.services.reconciliation import balance_check_record
from orders.services.throttle import throttle_require
from orders.upstream import ProviderError

log = logging.getLogger(__name__)


def balance_summary(provider: Provider) -> str:
    low = " (under the low-balance threshold)" if provider.is_low_on_balance else ""
    return f"balance {money_text(provider.balance, provider.currency)}{low}"


def balance_sync(*, provider: Provider) -> Provider:
    """Read the provider's balance, hold it against the ledger (a BalanceCheck); warn when
    it falls under the provider's threshold."""
    provider_check_usable(provider)
    throttle_require(provider)
    read_from = timezone.now()
    try:
        balance = provider_client(provider).balance()
    except ProviderError as exc:  # counted like any call's failure; Retry-After is kept
        provider_note_failure(provider, exc)
        raise
    provider.balance, provider.currency = balance.amount, balance.currency
    provider.balance_checked_at = timezone.now()
    provider.save(update_fields=["balance", "currency", "balance_checked_at", "updated_at"])
    balance_check_record(
        provider=provider, balance=balance.amount, currency=balance.currency, read_from=read_from
    )
    if provider.is_low_on_balance:
        log.warning(
            "provider=%s balance %s %s is under the threshold %s",
            provider.pk,
            balance.amount,
            balance.currency,
            provider.low_balance_threshold,
        )
    return provider
