"""The embedded default's broker (the settings' own URL and folders) with several writers
and readers at once: what a reader gets is a whole message, and each message goes to one."""

import subprocess
import sys
import threading
from queue import Empty

import kombu
import pytest
from django.conf import settings

from panel.embedded import filesystem_broker_options


@pytest.fixture
def connection(tmp_path):
    """A connection to the broker that the settings name when nothing is configured."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("embedded://", "filesystem://")):
        url = "embedded://localhost/"  # CI's second pass names Redis; this is about the default
    with kombu.Connection(url, transport_options=filesystem_broker_options(tmp_path)) as conn:
        yield conn


ROOT = settings.BASE_DIR
TAKE_AND_DIE = """
import os, sys, kombu
from panel.embedded import filesystem_broker_options
from pathlib import Path
options = filesystem_broker_options(Path(sys.argv[2]))
with kombu.Connection(sys.argv[1], transport_options=options) as connection:
    message = connection.SimpleQueue("jobs").get(timeout=10)
    print(message.payload["order"], flush=True)
    os._exit(0)  # killed before it acknowledged: no shutdown, no restore
"""


def channel_module(conn):
    return sys.modules[type(conn.default_channel).__module__]


def test_a_reader_never_gets_a_message_that_is_still_being_written(connection, monkeypatch):
    """A worker thread publishes while the consumer reads the same folder: kombu's own
    transport let the reader take the file between its creation and its bytes."""
    writer = connection.SimpleQueue("jobs")
    reader = connection.clone().SimpleQueue("jobs")
    module = channel_module(connection)
    real_dumps = module.dumps
    seen_while_writing = []

    def dumps_while_a_reader_looks(payload):
        try:
            seen_while_writing.append(reader.get(timeout=0.2).payload)
        except Empty:
            seen_while_writing.append("nothing")
        return real_dumps(payload)

    monkeypatch.setattr(module, "dumps", dumps_while_a_reader_looks)
    writer.put({"order": 1})
    monkeypatch.setattr(module, "dumps", real_dumps)

    assert seen_while_writing == ["nothing"]
    message = reader.get(timeout=1)
    message.ack()
    assert message.payload == {"order": 1}
    reader.close()


def test_of_two_readers_exactly_one_gets_each_message(connection):
    queue = connection.SimpleQueue("jobs")
    for number in range(300):
        queue.put({"number": number})
    got: list[list[int]] = [[], []]

    def read(into: list[int]) -> None:
        with connection.clone() as own:
            mine = own.SimpleQueue("jobs")
            while len(got[0]) + len(got[1]) < 300:
                try:
                    message = mine.get(timeout=5)
                except Empty:
                    return
                into.append(message.payload["number"])
                message.ack()

    readers = [threading.Thread(target=read, args=(into,)) for into in got]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(60)

    assert sorted(got[0] + got[1]) == list(range(300))


def test_a_file_that_is_no_message_is_set_aside_and_the_reader_goes_on(connection, tmp_path):
    queue = connection.SimpleQueue("jobs")
    (tmp_path / "queue" / "00000000000000000001_x.jobs.msg").write_text('{"half": ')
    queue.put({"order": 2})

    message = queue.get(timeout=1)
    message.ack()
    assert message.payload == {"order": 2}
    assert list((tmp_path / "queue" / ".unreadable").iterdir())


def test_a_message_whose_reader_died_before_acknowledging_it_is_delivered_again(
    connection, tmp_path
):
    connection.SimpleQueue("jobs").put({"order": 3})
    reader = [sys.executable, "-c", TAKE_AND_DIE, connection.as_uri(), str(tmp_path)]
    taken = subprocess.run(reader, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert taken.stdout.strip() == "3", taken.stderr

    with connection.clone() as after:  # the next process to connect, a restarted worker
        message = after.SimpleQueue("jobs").get(timeout=5)
        message.ack()
    assert message.payload == {"order": 3}
