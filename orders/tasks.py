"""Celery tasks: thin adapters that take ids and call a service.

Per-provider jobs run under a lease (services.jobs) so no periodic job overlaps itself.
"""

from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.utils.translation import ngettext

from orders.models import Provider
from orders.services import jobs
from orders.services.balances import balance_summary, balance_sync
from orders.services.catalogue import catalogue_sync
from orders.services.placement import order_submit
from orders.services.polling import orders_poll
from orders.services.providers import ProviderPaused, api_calls_purge, providers_due
from orders.services.recovery import orders_sweep
from orders.services.refill_polling import refills_poll
from orders.services.throttle import ProviderThrottled

# Jobs that run per provider only once its own interval has passed (beat ticks more often,
# so a new provider is synced within a minute).
STALENESS = {
    "sync_catalogue": ("catalogue_synced_at", settings.CATALOGUE_SYNC_SECONDS),
    "sync_balance": ("balance_checked_at", settings.BALANCE_SYNC_SECONDS),
}
PER_PROVIDER: dict[str, Callable[..., object]] = {
    "sync_catalogue": catalogue_sync,
    "sync_balance": lambda provider: balance_summary(balance_sync(provider=provider)),
    "poll_orders": orders_poll,
    "poll_refills": refills_poll,
}


@shared_task
def submit_order(order_id: int) -> None:
    order_submit(order_id)


@shared_task
def provider_job(job: str, provider_id: int) -> None:
    provider = Provider.objects.get(pk=provider_id)
    with jobs.job_run(f"{job}:{provider_id}") as report:
        if report is None:
            return
        try:
            report.summary = str(PER_PROVIDER[job](provider=provider))
        except ProviderThrottled as exc:  # still due: beat's next tick runs it
            report.summary = f"skipped: {exc}"
        except ProviderPaused as exc:  # paused, or its key refused: not run, and not ok
            report.summary, report.failed = f"not run: {exc}", True


@shared_task
def for_each_provider(job: str) -> None:
    """Fan a periodic job out to every active provider, one task each."""
    with jobs.job_run(job, lease_seconds=60) as report:
        if report is None:
            return
        active = Provider.objects.filter(is_active=True)
        providers = providers_due(*STALENESS[job]) if job in STALENESS else active
        ids = list(providers.values_list("pk", flat=True))
        for provider_id in ids:
            provider_job.delay(job, provider_id)
        if job in STALENESS:  # most ticks find nothing due: say so, not "0 providers"
            total = active.count()
            report.summary = ngettext(
                "%(n)d of %(total)d provider due", "%(n)d of %(total)d providers due", total
            ) % {"n": len(ids), "total": total}
        else:
            report.summary = ngettext("%(n)d provider", "%(n)d providers", len(ids)) % {
                "n": len(ids)
            }


@shared_task
def sweep_orders() -> None:
    with jobs.job_run("sweep_orders") as report:
        if report is not None:
            report.summary = str(orders_sweep())


@shared_task
def purge_api_calls() -> None:
    with jobs.job_run("purge_api_calls") as report:
        if report is not None:
            purged = api_calls_purge()
            report.summary = ngettext("%(n)d call purged", "%(n)d calls purged", purged) % {
                "n": purged
            }


@shared_task
def heartbeat() -> None:
    """Sent by beat, run by a worker: its JobRun row shows both are alive."""
    with jobs.job_run("heartbeat", lease_seconds=30) as report:
        if report is not None:
            report.summary = "beat and worker alive"
