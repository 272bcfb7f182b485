"""A broker in the test's process: `queue.send` keeps the task, `run` works the queue as a
worker would, one task at a time, through the real task functions. A task sent with an
`eta` waits until the engine's clock reaches it."""

import heapq
import itertools
from datetime import datetime

import pytest
from django.utils import timezone

from orders import tasks
from orders.services import queue

TASKS = {
    "orders.tasks.submit_order": tasks.submit_order,
    "orders.tasks.sweep_orders": tasks.sweep_orders,
}


class InProcessBroker:
    def __init__(self) -> None:
        # (due, sent, name, args): the oldest due first, as a worker takes them.
        self.waiting: list[tuple[datetime, int, str, tuple]] = []
        self._sent = itertools.count()
        self.ran: dict[str, int] = {}

    def send(self, task_name: str, *args, eta: datetime | None = None) -> bool:
        due = eta or timezone.now()
        heapq.heappush(self.waiting, (due, next(self._sent), task_name, args))
        return True

    def run(self) -> int:
        """Work every task that is due, including those the work sends; returns how many ran."""
        ran = 0
        while self.waiting and self.waiting[0][0] <= timezone.now():
            _, _, name, args = heapq.heappop(self.waiting)
            TASKS[name](*args)
            self.ran[name] = self.ran.get(name, 0) + 1
            ran += 1
        return ran

    def next_due(self) -> datetime | None:
        return self.waiting[0][0] if self.waiting else None


def use_broker(monkeypatch: pytest.MonkeyPatch) -> InProcessBroker:
    broker = InProcessBroker()
    monkeypatch.setattr(queue, "send", broker.send)
    return broker
