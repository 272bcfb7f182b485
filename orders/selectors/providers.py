"""Reads for the providers page: each provider with its health and last balance check, in
four queries in all."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from orders.models import ApiCall, BalanceCheck, Provider
from orders.models.system import CALL_IN_FLIGHT
from orders.selectors.reconciliation import last_checks
from orders.upstream.records import PENDING

# Outcomes where the provider answered: a refusal is the provider working, not failing.
# A refused key or account ("key_refused") is a failure: every call is refused alike.
ANSWERED = ("ok", "rejected")
# A call logged as pending more recently than CALL_IN_FLIGHT is not judged yet.


@dataclass(frozen=True)
class CallStats:
    calls: int = 0
    failed: int = 0

    @property
    def error_rate(self) -> float | None:
        """Failed share of the calls, 0..1; None with no calls to judge by."""
        return self.failed / self.calls if self.calls else None

    @property
    def percent(self) -> str:
        rate = self.error_rate
        return "–" if rate is None else f"{rate:.0%}"


@dataclass(frozen=True)
class ProviderHealth:
    provider: Provider
    hour: CallStats
    day: CallStats
    last_check: BalanceCheck | None = None

    @property
    def state(self) -> str:
        """One word for the badge: key_refused, paused, failing, inactive, unchecked or ok."""
        provider = self.provider
        if not provider.is_active:
            return "inactive"
        if provider.key_refused:
            return "key_refused"
        if provider.is_paused:
            return "paused"
        if provider.consecutive_failures:
            return "failing"
        if provider.last_success_at is None:
            return "unchecked"
        return "ok"


def provider_health_list(now: datetime | None = None) -> list[ProviderHealth]:
    now = now or timezone.now()
    stats = api_call_stats(now)
    empty = {"hour": CallStats(), "day": CallStats()}
    providers = list(Provider.objects.order_by("-is_active", "name"))
    checks = last_checks(providers)
    rows = []
    for provider in providers:
        calls = stats.get(provider.pk, empty)
        rows.append(ProviderHealth(provider, calls["hour"], calls["day"], checks.get(provider.pk)))
    return rows


def provider_health(provider: Provider, now: datetime | None = None) -> ProviderHealth:
    stats = api_call_stats(now or timezone.now(), provider_id=provider.pk)
    calls = stats.get(provider.pk, {"hour": CallStats(), "day": CallStats()})
    return ProviderHealth(provider, calls["hour"], calls["day"])


def api_call_stats(
    now: datetime, provider_id: int | None = None
) -> dict[int, dict[str, CallStats]]:
    """Calls and failed calls per provider over the last hour and the last day, one query."""
    hour_ago, day_ago = now - timedelta(hours=1), now - timedelta(days=1)
    failed = ~Q(outcome__in=ANSWERED)
    calls = ApiCall.objects.filter(at__gte=day_ago).exclude(
        outcome=PENDING, at__gte=now - CALL_IN_FLIGHT
    )
    if provider_id is not None:
        calls = calls.filter(provider_id=provider_id)
    rows = (
        calls.values("provider_id")
        .annotate(
            day_calls=Count("id"),
            day_failed=Count("id", filter=failed),
            hour_calls=Count("id", filter=Q(at__gte=hour_ago)),
            hour_failed=Count("id", filter=failed & Q(at__gte=hour_ago)),
        )
        .order_by()
    )
    return {
        row["provider_id"]: {
            "hour": CallStats(row["hour_calls"], row["hour_failed"]),
            "day": CallStats(row["day_calls"], row["day_failed"]),
        }
        for row in rows
    }
