"""The client's own HTTP transport, which cuts a call whose answer is not under way by its
deadline.

The read timeout bounds each wait on the socket, not the call: a server that sends its
status line and headers a byte at a time holds the call for as long as it likes. This
adapter gives each request a total time (urllib3's `Timeout.total`, which also caps the
connect and read timeouts) and shuts the socket down if the headers are not all in by
then. The body is read by the client, which checks the deadline between pieces.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import Timeout


class DeadlineAdapter(HTTPAdapter):
    """`session.mount("https://", DeadlineAdapter(60))`: every request ends within 60 s
    of being sent, or is cut (the caller sees the connection lost)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, **kw
    ) -> requests.Response:
        if isinstance(timeout, tuple):
            connect, read = timeout
            timeout = Timeout(connect=connect, read=read, total=self.deadline)
        return super().send(request, stream=stream, timeout=timeout, **kw)


class _Pool(HTTPConnectionPool):
    def _make_request(self, conn: Any, method: str, url: str, **kw: Any) -> Any:  # type: ignore[override]
        return _within_total(super()._make_request, conn, method, url, **kw)


class _TLSPool(HTTPSConnectionPool):
    def _make_request(self, conn: Any, method: str, url: str, **kw: Any) -> Any:  # type: ignore[override]
        return _within_total(super()._make_request, conn, method, url, **kw)


def _within_total(make_request: Any, conn: Any, method: str, url: str, **kw: Any) -> Any:
    """Send and wait for the headers; the socket is shut down when the total time is up."""
    total = getattr(kw.get("timeout"), "total", None)
    if total is None:
        return make_request(conn, method, url, **kw)
    watchdog = threading.Timer(total, _cut, (conn,))
    watchdog.daemon = True
    watchdog.start()
    try:
        return make_request(conn, method, url, **kw)
    finally:
        watchdog.cancel()


def _cut(conn: Any) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            # The plain socket's shutdown: the TLS layer is left to the reading thread.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
