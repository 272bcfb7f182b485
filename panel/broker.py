"""The embedded default's broker: kombu's filesystem transport, made safe for several writers
and readers at once.

Kombu's own filesystem transport creates a message file and then writes into it, while a
reader may already be taking the file away: the reader gets an empty or half-written
message (a JSONDecodeError that stops the worker) and the writer's bytes go to a file that is
gone. Here a message is written under a hidden name and renamed into the queue only once
complete (a rename is atomic), and a reader claims a file by renaming it out of the queue
before reading it, so of two readers exactly one gets each message. A message stays claimed
on disk until acknowledged: a reader killed meanwhile loses nothing (see Channel).

Registered as `embedded://` (see panel/celery.py); every folder comes from the transport
options (panel.embedded.filesystem_broker_options).
"""

import logging
import os
import time
import uuid
from collections import deque
from contextlib import suppress
from pathlib import Path
from queue import Empty

from kombu.transport import TRANSPORT_ALIASES, filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)

SCHEME = "embedded"
INCOMING = ".incoming"  # messages being written (hidden names never match a queue)
CLAIMED = ".claimed"  # `<pid>-<name>`: delivered to that process, not yet acknowledged
UNREADABLE = ".unreadable"  # files that are no message, set aside instead of stopping a worker


class Channel(filesystem.Channel):
    """A delivered message stays on disk, claimed by its reader's process id, until it is
    acknowledged; the claims of a process that died go back to the queue when the next
    process connects (as Redis restores unacknowledged messages, without its hour's wait)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._listed: dict[str, deque[str]] = {}
        self._acknowledged_queues: set[str] = set()
        self._claims: dict[str, str] = {}  # delivery tag -> claimed file
        for folder in (self.data_folder_out, self.data_folder_in):
            for hidden in (INCOMING, CLAIMED, UNREADABLE):
                Path(folder, hidden).mkdir(parents=True, exist_ok=True)
        self._restore_claims_of_the_dead()

    def basic_consume(self, queue, no_ack, callback, consumer_tag, **kwargs):
        if not no_ack:
            self._acknowledged_queues.add(queue)
        return super().basic_consume(queue, no_ack, callback, consumer_tag, **kwargs)

    def basic_ack(self, delivery_tag, multiple=False) -> None:
        super().basic_ack(delivery_tag, multiple)
        self._release(delivery_tag)

    def basic_reject(self, delivery_tag, requeue=False) -> None:
        super().basic_reject(delivery_tag, requeue)
        self._release(delivery_tag)

    def _restore(self, message) -> None:
        super()._restore(message)  # a copy is back in the queue
        self._release(message.delivery_tag)

    def _release(self, delivery_tag) -> None:
        claimed = self._claims.pop(delivery_tag, None)
        if claimed:
            with suppress(FileNotFoundError):
                os.remove(claimed)

    def _restore_claims_of_the_dead(self) -> None:
        for claimed in Path(self.data_folder_in, CLAIMED).iterdir():
            owner, _, name = claimed.name.partition("-")
            if owner.isdigit() and not _alive(int(owner)):
                with suppress(FileNotFoundError):  # another process restored it first
                    os.rename(claimed, Path(self.data_folder_in, name))
                    log.warning("broker: %s, claimed by a process that died, is queued again", name)

    def _put(self, queue, message, **kwargs):  # type: ignore[override]  # as kombu's own
        # Nanoseconds on the monotonic clock, zero-padded: names sort in the order sent.
        name = f"{time.monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        partial = os.path.join(self.data_folder_out, INCOMING, name)
        with open(partial, "wb") as file:
            file.write(str_to_bytes(dumps(message)))
        os.replace(partial, os.path.join(self.data_folder_out, name))

    def _get(self, queue, timeout=None):
        waiting = self._listed.get(queue)
        if not waiting:
            waiting = self._listed[queue] = deque(self._names(queue))
        while waiting:
            name = waiting.popleft()
            claimed = os.path.join(self.data_folder_in, CLAIMED, f"{os.getpid()}-{name}")
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:  # another reader took it
                continue
            with open(claimed, "rb") as file:
                payload = file.read()
            try:
                message = loads(bytes_to_str(payload))
            except ValueError:
                os.replace(claimed, os.path.join(self.data_folder_in, UNREADABLE, name))
                log.error("broker: %s is no message; set aside in %s", name, UNREADABLE)
                continue
            tag = message.get("properties", {}).get("delivery_tag")
            if queue in self._acknowledged_queues and tag:
                self._claims[tag] = claimed
            else:
                os.remove(claimed)
            return message
        raise Empty()

    def _names(self, queue: str) -> list[str]:
        suffix = f".{queue}.msg"
        return sorted(
            name
            for name in os.listdir(self.data_folder_in)
            if name.endswith(suffix) and not name.startswith(".")
        )

    def _purge(self, queue):
        self._listed.pop(queue, None)
        return super()._purge(queue)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Transport(filesystem.Transport):
    Channel = Channel
    # Kombu keeps which queues are bound in memory, once per process; per folder here, so that
    # a second set of folders (another broker) gets its bindings written too.
    states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client, **kwargs) -> None:
        super().__init__(client, **kwargs)
        folder = str(client.transport_options.get("control_folder", "control"))
        self.state = self.states.setdefault(folder, virtual.BrokerState())


def register() -> None:
    """Make `embedded://` name this transport (kombu refuses module paths in a URL)."""
    TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")
