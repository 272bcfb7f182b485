"""Refill status polling, batched and claimed like order polling."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from orders.models import FINAL_REFILL_STATUSES, EventKind, OrderEvent, Provider, Refill
from orders.models import RefillStatus as Local
from orders.services.events import event
from orders.services.polling import BATCH, LEASE, RETRY_AFTER_FAILURE, PollResult
from orders.services.providers import provider_client, provider_note_failure
from orders.services.throttle import throttle_take
from orders.upstream import ProviderError, RefillStatus


def refills_poll(*, provider: Provider) -> PollResult:
    result = PollResult()
    round_start = timezone.now()
    client = provider_client(provider)
    while True:
        provider.refresh_from_db(fields=["paused_until", "key_refused_at"])
        if provider.key_refused:
            result.stopped = "API key refused"
            break
        if provider.is_paused:
            result.stopped = "provider paused"
            break
        batch = _claim(provider, round_start)
        if not batch:
            break
        if throttle_take(provider.pk):
            Refill.objects.filter(pk__in=[r.pk for r in batch]).update(next_check_at=round_start)
            result.stopped = "request limit reached"
            break
        result.calls += 1
        try:
            answers = client.refill_statuses([r.upstream_id for r in batch if r.upstream_id])
        except ProviderError as exc:
            result.failed_calls += 1
            provider_note_failure(provider, exc)
            later = timezone.now() + RETRY_AFTER_FAILURE
            Refill.objects.filter(pk__in=[r.pk for r in batch]).update(next_check_at=later)
            continue
        result.orders += len(batch)
        result.changed += _apply(batch, answers)
    return result


def _claim(provider: Provider, due_by) -> list[Refill]:
    with transaction.atomic():
        due = Refill.objects.filter(
            order__provider=provider, next_check_at__lte=due_by, upstream_id__isnull=False
        ).order_by("next_check_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:BATCH])
        if ids:
            Refill.objects.filter(pk__in=ids).update(next_check_at=timezone.now() + LEASE)
    return list(Refill.objects.filter(pk__in=ids).select_related("order")) if ids else []


def _apply(batch: list[Refill], answers: dict) -> int:
    now = timezone.now()
    changed, events = 0, []
    for refill in batch:
        answer = answers.get(refill.upstream_id)
        refill.last_checked_at = now
        if isinstance(answer, RefillStatus):
            new = Local(str(answer.status))
            if new != refill.status or answer.raw_status != refill.status_raw:
                changed += 1
                events.append(
                    event(
                        refill.order,
                        EventKind.REFILL,
                        f"Refill {refill.upstream_id}: {answer.raw_status}",
                    )
                )
                refill.status, refill.status_raw = new, answer.raw_status[:100]
        elif answer is not None:  # "Refill not found" and the like: nothing more will come
            refill.status, refill.error_message = Local.ERROR, answer.message
            events.append(
                event(
                    refill.order, EventKind.REFILL, f"Refill {refill.upstream_id}: {answer.message}"
                )
            )
        if refill.status in FINAL_REFILL_STATUSES:
            refill.next_check_at, refill.completed_at = None, refill.completed_at or now
        else:
            refill.next_check_at = now + timedelta(seconds=settings.POLL_FIRST_CHECK_SECONDS * 2)
    with transaction.atomic():
        Refill.objects.bulk_update(
            batch,
            [
                "status",
                "status_raw",
                "error_message",
                "last_checked_at",
                "next_check_at",
                "completed_at",
            ],
        )
        OrderEvent.objects.bulk_create(events)
    return changed
