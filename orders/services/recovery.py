"""Orders that need a second look: queued ones never sent, submissions cut short, and
unverified ones that staff resolve."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from orders.models import EventKind, LocalState, Order, Provider
from orders.money import money_text
from orders.selectors.unverified import IdWindow, late_answers, upstream_window, window_ids
from orders.services import queue
from orders.services.audit import audit_record
from orders.services.events import event_record
from orders.services.order_money import order_book
from orders.services.placement import SUBMIT_TASK
from orders.services.polling import apply_status
from orders.services.providers import provider_client
from orders.services.settlement import is_subscription
from orders.services.throttle import ProviderThrottled, throttle_require
from orders.signals import orders_closed
from orders.upstream import OrderState, OrderStatus, ProviderError, ProviderRejected, Reason

# A queued order younger than this still has its own task on the way.
QUEUED_GRACE = timedelta(seconds=30)
# The most orders one sweep sends, whatever the providers' limits add up to.
SWEEP_LIMIT = 1000
# How far the charge upstream may stray from the order's expected cost (a rate moved since
# the last catalogue sync) before the id looks like another order's: 1 %.
CHARGE_TOLERANCE = Decimal("0.01")
# A person waits this long at most for the provider's request limit to free a call.
STAFF_WAIT_SECONDS = 5.0


class ActionRefused(Exception):
    """A staff action that cannot be done now; the message says why."""


class NeedsConfirmation(ActionRefused):
    """The upstream order may be another submission's: attach it only if staff confirm."""

    def __init__(self, doubts: list[str]):
        super().__init__(" ".join(doubts))
        self.doubts = doubts


@dataclass(frozen=True)
class Candidate:
    """An untracked upstream order that may be this one, as the provider describes it."""

    upstream_id: int
    answer: OrderStatus
    doubts: list[str]
    late: bool  # the provider answered this id for this very order, after we stopped waiting

    @property
    def charge(self) -> str:
        return money_text(self.answer.charge)


@dataclass
class Candidates:
    window: IdWindow
    found: list[Candidate] = field(default_factory=list)
    asked: int = 0  # how many ids the status call asked about
    error: str = ""


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
        .filter(key_refused_at__isnull=True)  # held until the key is changed or tested
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


def order_candidates(*, order: Order) -> Candidates:
    """The upstream orders this one may be: the ids the provider answered late for it, then
    the untracked ids of the window it issued around the submission, asked about in one
    `status` call. Ids the provider does not know (another customer's) are left out."""
    window = upstream_window(order)
    ids = window_ids(order, window)
    if not ids:
        return Candidates(window)
    late = late_answers(order)
    try:
        throttle_require(order.provider, wait_up_to=STAFF_WAIT_SECONDS)
        answers = provider_client(order.provider).statuses(ids)
    except (ProviderThrottled, ProviderError) as exc:
        return Candidates(window, asked=len(ids), error=str(exc))
    found = [
        Candidate(i, answer, upstream_doubts(order, i, answer, window, late), i in late)
        for i in ids
        if isinstance(answer := answers.get(i), OrderStatus)
    ]
    return Candidates(window, found, asked=len(ids))


def upstream_doubts(
    order: Order,
    upstream_id: int,
    answer: OrderStatus,
    window: IdWindow | None = None,
    late: list[int] | None = None,
) -> list[str]:
    """Why the upstream order may be another submission's; empty when nothing says so.

    `window` and `late` (the ids the provider answered late for it) are read when not given.
    """
    doubts = []
    window = window or upstream_window(order)
    late = late_answers(order) if late is None else late
    if upstream_id not in window and upstream_id not in late:
        doubts.append(
            f"{order.provider.name} issued order {upstream_id} to another submission: the "
            f"ids around this one are {window}."
        )
    currency = (answer.currency or order.currency).upper()
    if order.currency and currency != order.currency.upper():
        doubts.append(f"It is charged in {currency}; this order is in {order.currency}.")
    elif answer.charge is not None and order.cost and not is_subscription(order.order_type):
        # (A subscription is charged per post: no one figure to hold the charge against.)
        slack = order.cost * CHARGE_TOLERANCE
        # A partial, cancelled or refunded order is charged for what was delivered only.
        refunded = answer.status.is_final and answer.status != OrderState.COMPLETED
        if answer.charge > order.cost + slack or (
            not refunded and answer.charge < order.cost - slack
        ):
            doubts.append(
                f"It charges {money_text(answer.charge)} {currency}; this order should cost "
                f"{money_text(order.cost)} {order.currency}."
            )
    return doubts


def order_confirm_upstream(
    *, order: Order, upstream_id: int, user, despite_doubts: bool = False
) -> Order:
    """Staff found the order upstream: verify the id with a status call, then track it.

    An id issued to another submission, or whose charge is not this order's cost, is refused
    with the reasons unless staff confirm it a second time (`despite_doubts`), which the
    audit trail keeps.
    """
    _require_unverified(order)
    if Order.objects.filter(provider_id=order.provider_id, upstream_id=upstream_id).exists():
        raise ActionRefused(f"Upstream order {upstream_id} belongs to another order.")
    try:
        answer = provider_client(order.provider).status(upstream_id)
    except ProviderRejected as exc:
        if exc.reason == Reason.NOT_FOUND:
            raise ActionRefused(f"{order.provider.name} has no order {upstream_id}.") from exc
        raise ActionRefused(f"{order.provider.name} refused: {exc.message}") from exc
    except ProviderError as exc:
        raise ActionRefused(f"Could not verify with {order.provider.name}: {exc}") from exc
    doubts = upstream_doubts(order, upstream_id, answer)
    if doubts and not despite_doubts:
        raise NeedsConfirmation(doubts)
    message = f"Confirmed as upstream order {upstream_id}."
    if doubts:
        message += " Confirmed despite: " + " ".join(doubts)
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
            order_book(order, at=now)
            event_record(order, EventKind.STAFF, message, actor=user, upstream_id=upstream_id)
            audit_record(
                actor=user,
                action="unverified confirmed",
                target=f"order #{order.pk}",
                upstream_id=upstream_id,
                charge=f"{answer.charge} {answer.currency}".strip(),
                checks=" ".join(doubts) or "charge and id window match",
                confirmed_despite_doubts="yes" if doubts else "no",
            )
    except IntegrityError:
        raise ActionRefused(f"Upstream order {upstream_id} belongs to another order.") from None
    apply_status(order, answer)
    return order


def order_confirm_not_placed(*, order: Order, user) -> Order:
    """Staff checked upstream and the order is not there: close it, nothing was bought."""
    _require_unverified(order)
    late = late_answers(order)
    if late:
        raise ActionRefused(
            f"{order.provider.name} answered order id {late[0]} for it after it stopped "
            "waiting: it was placed. Confirm that id instead."
        )
    with transaction.atomic():
        updated = Order.objects.filter(pk=order.pk, state=LocalState.UNVERIFIED).update(
            state=LocalState.NOT_PLACED
        )
        if not updated:
            raise ActionRefused("Someone else resolved this order meanwhile.")
        order.state = LocalState.NOT_PLACED
        event_record(order, EventKind.STAFF, "Confirmed not placed upstream.", actor=user)
        orders_closed.send(sender=Order, orders=[order])
        audit_record(actor=user, action="unverified not placed", target=f"order #{order.pk}")
    return order


def _require_unverified(order: Order) -> None:
    if order.state != LocalState.UNVERIFIED:
        raise ActionRefused("Only an unverified order can be resolved.")
