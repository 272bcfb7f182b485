"""The engine through a real Celery worker, in process, on the memory:// broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from orders.models import LocalState, Order, Status
from orders.services.placement import order_place
from orders.tasks import for_each_provider, heartbeat
from panel.celery import app
from tests.engine.test_polling import TEN_DAYS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(check, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_placed_order_is_submitted_by_the_worker_after_commit(worker, sim, default_service):
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    assert wait_for(lambda: Order.objects.get(pk=order.pk).state == LocalState.PLACED)


def test_beat_jobs_poll_every_provider_to_completion(worker, sim, provider, default_service):
    order = order_place(
        service=default_service, params={"link": "https://x.com/a", "quantity": 100}
    )
    assert wait_for(lambda: Order.objects.get(pk=order.pk).state == LocalState.PLACED)
    sim.advance_clock(TEN_DAYS)
    Order.objects.update(next_check_at=Order.objects.get(pk=order.pk).submitted_at)
    for_each_provider.delay("poll_orders")
    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == Status.COMPLETED)


def test_a_job_run_is_one_line_of_the_console_at_info(worker, caplog):
    """Celery's own lines for each message received and finished would triple the console."""
    caplog.set_level("INFO")
    heartbeat.delay()
    assert wait_for(lambda: any("job=heartbeat" in r.getMessage() for r in caplog.records))
    time.sleep(0.5)  # what the worker logs after the job's own line
    lines = [r.getMessage() for r in caplog.records if r.levelname == "INFO"]
    assert [line for line in lines if "heartbeat" in line] == [
        "job=heartbeat ok=True summary=beat and worker alive"
    ]
