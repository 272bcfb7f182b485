"""Orders that need a second look: queued ones never sent, submissions cut short, and
unverified ones that staff resolve."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from orders.models import EventKind, LocalState, Order, Provider
from orders.services import queue
from orders.services.events import event_record
from orders.services.placement import SUBMIT_TASK
from orders.services.polling import apply_status
from orders.services.providers import provider_client
from orders.upstream import ProviderError, ProviderRejected, Reason

# A queued order younger than this still has its own task on the way.
QUEUED_GRACE = timedelta(seconds=30)
# The most orders one sweep sends, whatever the providers' limits add up to.
SWEEP_LIMIT = 1000


class ActionRefused(Exception):
    """A staff action that cannot be done now; the message says why."""


@dataclass
class SweepResult:
    resent: int = 0
    unverified: int = 0
    broker_away: bool = False

    def __str__(self) -> str:
        resent, unverified = self.resent, self.unverified
        text = ngettext(
            "%(n)d queued order sent again", "%(n)d queued orders sent again", resent
        ) % {"n": resent}
        text += f", {unverified} marked unverified"
        return text + ("; the broker is away, the rest wait" if self.broker_away else "")


def orders_sweep() -> SweepResult:
    now = timezone.now()
    result = SweepResult()
    result.resent, result.broker_away = _resend_queued(now)
    result.unverified = _interrupted_to_unverified(now)
    return result


def _resend_queued(now) -> tuple[int, bool]:
    """Send again the queued orders whose task was lost or whose retry time has come.

    Oldest first, so a backlog drains in order and none waits behind newer ones for ever;
    per provider no more than its request limit allows in a minute (more would only wait for
    the throttle again) and none while it is paused. Stops at the first send the broker
    refuses: every later one would fail the same way. Returns (sent, broker away).
    """
    due = Order.objects.filter(state=LocalState.QUEUED, created_at__lt=now - QUEUED_GRACE).filter(
        Q(submit_after__isnull=True) | Q(submit_after__lte=now)
    )
    providers = (
        Provider.objects.filter(pk__in=due.values("provider_id"))
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lte=now))
        .order_by("pk")
    )
    sent = 0
    for provider_id, limit in providers.values_list("pk", "rate_limit_per_minute"):
        oldest = due.filter(provider_id=provider_id).order_by("created_at", "pk")
        for order_id in oldest.values_list("pk", flat=True)[: min(max(limit, 1), SWEEP_LIMIT)]:
            if sent >= SWEEP_LIMIT:
                return sent, False
            if not queue.send(SUBMIT_TASK, order_id):
                return sent, True
            sent += 1
    return sent, False


def _interrupted_to_unverified(now) -> int:
    """A worker that died mid-submission leaves its order submitting: it may have reached
    upstream, so it is never sent again, but left for staff to check."""
    marked = 0
    stuck_since = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    for order in Order.objects.filter(
        state=LocalState.SUBMITTING, submitting_since__lt=stuck_since
    ):
        updated = Order.objects.filter(pk=order.pk, state=LocalState.SUBMITTING).update(
            state=LocalState.UNVERIFIED, submitting_since=None
        )
        if updated:
            marked += 1
            event_record(
                order,
                EventKind.UNVERIFIED,
                "The submission was interrupted; it may or may not exist upstream: check with "
                "the provider, then enter its order id or confirm it was not placed.",
            )
    return marked


def order_confirm_upstream(*, order: Order, upstream_id: int, user) -> Order:
    """Staff found the order upstream: verify the id with a status call, then track it."""
    _require_unverified(order)
    try:
        answer = provider_client(order.provider).status(upstream_id)
    except ProviderRejected as exc:
        if exc.reason == Reason.NOT_FOUND:
            raise ActionRefused(f"{order.provider.name} has no order {upstream_id}.") from exc
        raise ActionRefused(f"{order.provider.name} refused: {exc.message}") from exc
    except ProviderError as exc:
        raise ActionRefused(f"Could not verify with {order.provider.name}: {exc}") from exc
    now = timezone.now()
    try:
        with transaction.atomic():
            updated = Order.objects.filter(pk=order.pk, state=LocalState.UNVERIFIED).update(
                state=LocalState.PLACED,
                upstream_id=upstream_id,
                submitted_at=order.submitted_at or now,
                next_check_at=now,
                check_interval=settings.POLL_FIRST_CHECK_SECONDS,
            )
            if not updated:
                raise ActionRefused("Someone else resolved this order meanwhile.")
            order.refresh_from_db()
            event_record(
                order,
                EventKind.STAFF,
                f"Confirmed as upstream order {upstream_id}.",
                actor=user,
                upstream_id=upstream_id,
            )
    except IntegrityError:
        raise ActionRefused(f"Upstream order {upstream_id} belongs to another order.") from None
    apply_status(order, answer)
    return order


def order_confirm_not_placed(*, order: Order, user) -> Order:
    """Staff checked upstream and the order is not there: close it, nothing was bought."""
    _require_unverified(order)
    updated = Order.objects.filter(pk=order.pk, state=LocalState.UNVERIFIED).update(
        state=LocalState.NOT_PLACED
    )
    if not updated:
        raise ActionRefused("Someone else resolved this order meanwhile.")
    order.state = LocalState.NOT_PLACED
    event_record(order, EventKind.STAFF, "Confirmed not placed upstream.", actor=user)
    return order


def _require_unverified(order: Order) -> None:
    if order.state != LocalState.UNVERIFIED:
        raise ActionRefused("Only an unverified order can be resolved.")
