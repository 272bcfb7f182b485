"""A broker in the test's process: `queue.send` keeps the task, `run` works the queue as a
worker would, one task at a time, through the real task functions."""

from collections import deque

import pytest

from orders import tasks
from orders.services import queue

TASKS = {
    "orders.tasks.submit_order": tasks.submit_order,
    "orders.tasks.sweep_orders": tasks.sweep_orders,
}


class InProcessBroker:
    def __init__(self) -> None:
        self.waiting: deque[tuple[str, tuple]] = deque()

    def send(self, task_name: str, *args) -> bool:
        self.waiting.append((task_name, args))
        return True

    def run(self) -> int:
        """Work every waiting task, including those the work sends; returns how many ran."""
        ran = 0
        while self.waiting:
            name, args = self.waiting.popleft()
            TASKS[name](*args)
            ran += 1
        return ran


def use_broker(monkeypatch: pytest.MonkeyPatch) -> InProcessBroker:
    broker = InProcessBroker()
    monkeypatch.setattr(queue, "send", broker.send)
    return broker
