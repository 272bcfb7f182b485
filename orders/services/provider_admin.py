"""Admins add and edit providers, test their connection and ask for a sync now.

The API key is write-only here: it is stored encrypted, shown only as its hint, and never
put into a message or a log line (the client redacts it from every error it raises).
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import Provider
from orders.money import money_text
from orders.services import queue
from orders.services.audit import audit_record
from orders.services.providers import provider_client, provider_note_retry_after
from orders.services.throttle import ProviderThrottled, throttle_require
from orders.upstream import (
    Failure,
    InvalidAnswer,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    Reason,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

log = logging.getLogger(__name__)
PROVIDER_JOB = "orders.tasks.provider_job"
SYNC_JOBS = ("sync_catalogue", "sync_balance")
# What staff edit; everything else on a provider is written by the engine.
EDITABLE_FIELDS = (
    "name",
    "api_url",
    "currency",
    "low_balance_threshold",
    "drift_tolerance",
    "rate_limit_per_minute",
    "connect_timeout",
    "read_timeout",
    "call_deadline",
    "default_markup_kind",
    "default_markup_value",
    "is_active",
)


def provider_save(*, provider: Provider, api_key: str = "", user=None) -> Provider:
    """Save a new or edited provider; a blank key keeps the stored one.

    An edit writes only the settings staff own, so the engine's concurrent writes (balance,
    health, throttle) are not overwritten with what the form loaded. A new key or address
    gets a fresh start: the failure count and any pause came from the old settings.
    """
    if not provider.pk:
        if api_key:
            provider.api_key = api_key
        provider.save()
        _audit(user, "provider added", provider, list(EDITABLE_FIELDS), api_key)
        return provider
    stored = Provider.objects.filter(pk=provider.pk).values(*EDITABLE_FIELDS).get()
    if not provider.currency:  # blank means "from the balance answer": keep what it said
        provider.currency = stored["currency"]
    changed = [name for name in EDITABLE_FIELDS if getattr(provider, name) != stored[name]]
    fields = [*EDITABLE_FIELDS, "updated_at"]
    if api_key:
        provider.api_key = api_key
        fields += ["api_key_encrypted", "api_key_hint"]
    if api_key or "api_url" in changed:
        provider.consecutive_failures, provider.paused_until = 0, None
        provider.key_refused_at = provider.retry_after_until = None
        fields += ["consecutive_failures", "paused_until", "key_refused_at", "retry_after_until"]
    provider.save(update_fields=fields)
    _audit(user, "provider changed", provider, changed, api_key)
    return provider


def _audit(user, action: str, provider: Provider, changed: list[str], api_key: str) -> None:
    # Field names only: values may be sensitive, and the key never leaves the model.
    key = "replaced" if api_key else "kept"
    audit_record(
        actor=user,
        action=action,
        target=f"provider {provider.name}",
        changed=", ".join(changed) or "nothing",
        key=key,
    )
    log.info("provider=%s saved by user=%s (key %s)", provider.pk, getattr(user, "pk", None), key)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str
    balance: Decimal | None = None
    currency: str = ""


def provider_test_connection(*, provider: Provider) -> ConnectionCheck:
    """Ask for the balance with the stored settings and say what happened in plain words.

    A success also records the balance and lifts a hold for a refused key: the key works
    again. A failure is not counted against the provider's health: a person is probing, and
    pausing the engine for it would surprise them (a Retry-After it answers is honoured).
    """
    try:
        throttle_require(provider, wait_up_to=3.0, probe=True)  # not held by our own pause
        balance = provider_client(provider).balance()
    except ProviderThrottled as exc:
        return ConnectionCheck(False, _("Not tried: %s") % exc)
    except ProviderError as exc:
        provider_note_retry_after(provider, exc)
        return ConnectionCheck(False, _("Connection failed: %s") % explain(exc, provider))
    except ValueError as exc:  # an address the client refuses, or a key that cannot be read
        return ConnectionCheck(False, _("Connection failed: %s") % exc)
    Provider.objects.filter(pk=provider.pk).update(
        balance=balance.amount,
        currency=balance.currency,
        balance_checked_at=timezone.now(),
        key_refused_at=None,
    )
    provider.key_refused_at = None
    provider.balance, provider.currency = balance.amount, balance.currency
    text = _("Connected. The balance is %(amount)s %(currency)s.") % {
        "amount": money_text(balance.amount),
        "currency": balance.currency,
    }
    return ConnectionCheck(True, text, balance.amount, balance.currency)


def explain(error: ProviderError, provider: Provider) -> str:
    """The meaning of a failed call, for a person; built from the reason, not the raw text."""
    reason = str(error.reason)
    if isinstance(error, ProviderRejected):
        if error.reason == Reason.BAD_KEY:
            return _("the provider says the API key is invalid. Paste the key again.")
        if error.reason == Reason.ACCOUNT_REFUSED:
            return (
                _(
                    "the provider refuses the account behind this key (%s). Check the account "
                    "with the provider."
                )
                % error.message[:200]
            )
        return _("the provider refused the request: %s") % error.message[:200]
    if isinstance(error, ProviderUnavailable):
        return _unavailable(error, provider)
    if isinstance(error, InvalidAnswer):
        return _(
            "the address answered, but not with an API v2 answer (%s). Check the API URL: "
            "it usually ends in /api/v2."
        ) % _INVALID.get(reason, reason)
    return _("the call failed (%s).") % reason


def _unavailable(error: ProviderUnavailable, provider: Provider) -> str:
    reason = error.reason
    if reason == Failure.CONNECT_TIMEOUT:
        return _("the provider did not accept a connection within %s seconds (timeout).") % (
            provider.connect_timeout
        )
    if reason == Failure.READ_TIMEOUT:
        return _("the provider did not answer within %s seconds (timeout).") % (
            provider.read_timeout
        )
    if reason == Failure.DEADLINE:
        return _("the provider's answer was not complete within %s seconds (deadline).") % (
            provider.call_deadline
        )
    if reason == Failure.RATE_LIMITED:
        text = _("the provider is limiting requests right now (HTTP 429).")
        if error.retry_after:
            text += " " + _("It asks to wait %s seconds.") % round(error.retry_after)
        return text
    if reason == Failure.SERVER_ERROR:
        return _("the provider's server had an error (HTTP %s). Try again later.") % (
            error.http_status
        )
    known = _UNREACHABLE.get(str(reason))
    return str(known) if known else _("the provider could not be reached (%s).") % reason


_UNREACHABLE: "dict[str, StrOrPromise]" = {
    Failure.DNS: gettext_lazy(
        "the provider's address could not be found (DNS). Check the API URL."
    ),
    Failure.REFUSED: gettext_lazy("the provider is unreachable: the connection was refused."),
    Failure.CONNECT_FAILED: gettext_lazy(
        "the provider is unreachable: no connection could be made."
    ),
    Failure.TLS: gettext_lazy("the provider's HTTPS certificate was not accepted."),
    Failure.BAD_URL: gettext_lazy("the API URL is not a valid address."),
    Failure.CONNECTION_LOST: gettext_lazy("the connection was lost before the provider answered."),
    Failure.HTML_PAGE: gettext_lazy(
        "the address answered with a web page, not an API v2 answer. Check the API URL: "
        "it usually ends in /api/v2."
    ),
}
_INVALID: "dict[str, StrOrPromise]" = {
    Failure.NOT_JSON: gettext_lazy("not JSON"),
    Failure.BAD_SHAPE: gettext_lazy("unexpected content"),
    Failure.HTTP_STATUS: gettext_lazy("unexpected HTTP status"),
    Failure.UNREADABLE: gettext_lazy("unreadable"),
    Failure.TOO_LARGE: gettext_lazy("too large"),
}


def provider_sync_now(*, provider: Provider, job: str) -> bool:
    """Queue one of the provider's periodic jobs now; False when the queue is unreachable.

    The worker runs it under the job's lease, so it never overlaps a scheduled run.
    """
    if job not in SYNC_JOBS:
        raise ValueError(f"not a provider sync job: {job}")
    return queue.send(PROVIDER_JOB, job, provider.pk)
