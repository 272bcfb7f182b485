"""The same work started in several threads at one moment, as concurrent workers or clicks."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once[T](work: Callable[[], T], times: int, *, timeout: float = 60) -> list[T]:
    """Run `work` in `times` threads released together; what each returned, in finish order.

    Each thread has its own database connection, closed when it ends.
    """
    start, results = threading.Barrier(times), []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
