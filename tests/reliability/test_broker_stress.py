"""The embedded broker under load, as `make run`'s worker uses it (the pool and concurrency
of Procfile.dev): two worker processes consume while their tasks publish more messages and
four threads of another process publish too. Every message is delivered exactly once, whole."""

import shlex

from tests.reliability.stress import stress
from tests.test_make_run import procfile_command

WORKERS = 2
FANS, PER_FAN = 15, 100  # 1,500 messages published by tasks, from the workers' own threads
THREADS, PER_THREAD = 4, 375  # 1,500 more, published meanwhile by another process


def pool_options() -> list[str]:
    words = shlex.split(procfile_command("worker"))
    options = []
    for name in ("--pool", "--concurrency"):
        if name in words:
            options += [name, words[words.index(name) + 1]]
    return options


def test_every_message_is_delivered_exactly_once_and_whole(tmp_path, figures):
    outcome = stress(
        tmp_path, worker_args=pool_options(), workers=WORKERS, fans=FANS, per_fan=PER_FAN,
        threads=THREADS, per_thread=PER_THREAD, wait=120,
    )  # fmt: skip
    figures.add(f"{' '.join(pool_options())}, {WORKERS} workers: {outcome.summary()}")

    assert outcome.workers_died == 0, outcome.worker_logs
    assert (outcome.lost, outcome.twice, outcome.damaged) == (0, 0, 0), outcome.summary()
    assert not [log for log in outcome.worker_logs if "Unrecoverable error" in log]
