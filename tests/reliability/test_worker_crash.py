"""Crash: a Celery worker process killed with SIGKILL in the middle of a polling round and in
the middle of a submission, on Redis and PostgreSQL, the simulator served over HTTP.

The next round completes, no order stays claimed for longer than its lease, and no order is
sent twice. A killed worker's message is not acknowledged (acks_late): Redis hands it to
another worker once its visibility timeout has passed, and running it again does nothing.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from orders.models import JobRun, LocalState, Order, Status
from orders.services.placement import order_place
from orders.services.polling import LEASE
from orders.services.recovery import order_confirm_upstream
from orders.tasks import for_each_provider, provider_job, sweep_orders
from simulator import control, log
from simulator.models import SimRequest
from tests.reliability.upstream import placed_upstream
from tests.reliability.workers import wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: worker processes share the test database",
    ),
]
TEN_DAYS = 10 * 24 * 3600
JOB_LEASE = timedelta(seconds=600)  # services.jobs.job_run's default


def status_calls_since(mark: int):
    return SimRequest.objects.filter(action="status", pk__gt=mark)


def last_request() -> int:
    return SimRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_worker_killed_mid_round_leaves_leases_that_end_and_the_next_round_asks_each_once(
    http_provider, broker, workers, figures
):
    service = http_provider.services.get(upstream_id=1)
    orders = placed_upstream(http_provider, service, [100] * 300, tag="crash")
    Order.objects.update(next_check_at=timezone.now())
    control.set_faults(latency_ms=1500, actions=["status"])
    first = workers()
    mark = last_request()
    started = time.monotonic()
    provider_job.delay("poll_orders", http_provider.pk)
    checked = Order.objects.filter(last_checked_at__isnull=False)
    wait_for(
        lambda: status_calls_since(mark).count() >= 2 and checked.count() == 100,
        what="the first answer written and the second status call in flight",
    )
    killed_at = timezone.now()
    first.kill()  # the second call of 100 ids is in flight; the third may be claimed
    into_round = time.monotonic() - started
    leased = Order.objects.filter(claimed_until__gt=killed_at + LEASE - timedelta(minutes=1))
    untouched = Order.objects.filter(claimed_until__isnull=True, last_checked_at__isnull=True)
    left = {"checked": checked.count(), "leased": leased.count(), "untouched": untouched.count()}

    job = JobRun.objects.get(name=f"poll_orders:{http_provider.pk}")
    assert left["checked"] == 100
    assert left["leased"] in (100, 200)  # the call in flight, and the next batch if claimed
    assert left["leased"] + left["untouched"] == 200
    assert not Order.objects.filter(claimed_until__gt=killed_at + LEASE).exists()
    assert not checked.filter(claimed_until__isnull=False).exists()  # answered: lease ended
    assert killed_at < job.running_until <= killed_at + JOB_LEASE
    assert broker.unacked() == 1

    control.reset_faults()
    workers()
    assert broker.redeliver_unacked() == 1
    wait_for(lambda: broker.waiting() == 0, what="the redelivered poll job")
    assert status_calls_since(mark).count() == 2, "the redelivered job found its lease held"
    assert JobRun.objects.get(pk=job.pk).last_started_at == job.last_started_at

    # Ten minutes pass: the job's lease and the orders' leases run out.
    JobRun.objects.filter(pk=job.pk).update(running_until=timezone.now() - timedelta(seconds=1))
    Order.objects.update(next_check_at=timezone.now())
    Order.objects.filter(claimed_until__isnull=False).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    control.advance_clock(TEN_DAYS)
    mark = last_request()
    recovered = time.monotonic()
    for_each_provider.delay("poll_orders")
    wait_for(
        lambda: not Order.objects.exclude(status=Status.COMPLETED).exists(),
        what="the next round to complete every order",
    )
    asked = [
        i for ids in status_calls_since(mark).values_list("ids", flat=True) for i in ids.split(",")
    ]
    assert sorted(map(int, asked)) == sorted(o.upstream_id for o in orders)
    assert not Order.objects.filter(next_check_at__isnull=False).exists()
    wait_for(lambda: broker.waiting() == 0, what="the round's tasks to finish")
    figures.add(
        f"poll round of 300 orders, worker killed {into_round:.1f} s in (2nd call in flight): "
        f"{left['checked']} checked, {left['leased']} leased for at most {LEASE}, "
        f"{left['untouched']} untouched, "
        f"job lease held {JOB_LEASE}; redelivered job skipped; after the leases the next round "
        f"asked each of 300 once ({len(asked)} ids) in {time.monotonic() - recovered:.1f} s"
    )


def test_a_worker_killed_mid_submission_never_sends_the_order_twice(
    http_provider, broker, workers, staff_user, figures
):
    service = http_provider.services.get(upstream_id=1)
    control.set_faults(latency_ms=3000, actions=["add"])
    first = workers()
    order = order_place(service=service, params={"link": "https://x.com/crash", "quantity": 100})
    wait_for(lambda: log.orders_added().exists(), what="the add to reach the provider")
    first.kill()  # the provider made the order; its answer never arrives
    made = log.orders_added().get()
    order.refresh_from_db()
    assert order.state == LocalState.SUBMITTING
    assert broker.unacked() == 1

    control.reset_faults()
    workers()
    assert broker.redeliver_unacked() == 1
    wait_for(lambda: broker.waiting() == 0, what="the redelivered submission")
    order.refresh_from_db()
    assert order.state == LocalState.SUBMITTING, "the redelivered task found nothing to claim"
    assert log.calls("add").count() == 1

    # The task's hard time limit passes: the sweeper calls the submission interrupted.
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    Order.objects.filter(pk=order.pk).update(submitting_since=stale)
    sweep_orders.delay()
    wait_for(
        lambda: Order.objects.get(pk=order.pk).state == LocalState.UNVERIFIED,
        what="the sweeper to mark the order unverified",
    )
    assert log.calls("add").count() == 1, "never sent again"
    order.refresh_from_db()
    order = order_confirm_upstream(order=order, upstream_id=made.order_id, user=staff_user)
    assert (order.state, order.upstream_id) == (LocalState.PLACED, made.order_id)
    wait_for(lambda: broker.waiting() == 0, what="the sweeper's tasks to finish")
    figures.add(
        "submission killed after the provider made the order: left submitting; the "
        "redelivered task claimed nothing; the sweeper marked it unverified; 1 add in the "
        "simulator's log; staff confirmed its upstream id"
    )
