"""The network edge for the client's tests: the provider's address and key, what was sent,
and tiny real servers on 127.0.0.1 that fail in the ways real providers do."""

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs

import requests
import responses

API_URL = "https://provider.example/api/v2"
API_KEY = "k3y+S3cr3t/0123456789abcdef"  # "+" and "/" so encoded forms are checked too


def sent_form(mock: responses.RequestsMock, index: int = 0) -> dict[str, str]:
    """The form fields of the index-th request, one value each."""
    body = mock.calls[index].request.body
    text = body.decode() if isinstance(body, bytes) else str(body)
    return {name: values[0] for name, values in parse_qs(text, keep_blank_values=True).items()}


def direct_session() -> requests.Session:
    """A session that ignores proxy settings from the environment: local sockets only."""
    session = requests.Session()
    session.trust_env = False
    return session


def closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def local_server(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """Serve one connection at a time with `handle`; yields the API URL to use."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                handle(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/v2"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def read_request(conn: socket.socket) -> bytes:
    """The request as it arrived (headers and the small form body)."""
    conn.settimeout(2)
    data = b""
    with contextlib.suppress(OSError):
        while b"\r\n\r\n" not in data or b"key=" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def never_answers(conn: socket.socket) -> None:
    """Takes the request and says nothing until the client gives up."""
    read_request(conn)
    with contextlib.suppress(OSError):
        conn.recv(1)  # blocks until the client closes its side


def resets(conn: socket.socket) -> None:
    """Takes the request, then resets the connection (RST) instead of answering."""
    read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def hangs_up(conn: socket.socket) -> None:
    """Takes the request, then closes the connection cleanly without a word."""
    read_request(conn)


def answers(body: bytes, status: str = "200 OK") -> Callable[[socket.socket], None]:
    def handle(conn: socket.socket) -> None:
        read_request(conn)
        head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode() + body)

    return handle


class Sent:
    """How many bytes of its answer's body a server got out before the client stopped."""

    def __init__(self) -> None:
        self.bytes = 0


def drips(
    body: bytes, sent: Sent, every: float = 0.02, *, headers_at_once: bool = True
) -> Callable[[socket.socket], None]:
    """Answers `body` one byte at a time, `every` seconds apart, while the client listens;
    the status line and headers too (with 1000 more bytes of them) unless `headers_at_once`."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n"
        head += "\r\n" if headers_at_once else f"X-Padding: {'.' * 1000}\r\n\r\n"
        with contextlib.suppress(OSError):
            conn.sendall(head.encode() if headers_at_once else b"")
            for byte in body if headers_at_once else head.encode() + body:
                time.sleep(every)
                conn.sendall(bytes([byte]))
                sent.bytes += 1

    return handle


def floods(size: int, sent: Sent, *, declared: bool) -> Callable[[socket.socket], None]:
    """Answers `size` bytes (a JSON list of zeros), with or without saying so in advance."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        head += f"Content-Length: {size}\r\n\r\n" if declared else "\r\n"
        piece = b"0," * 32768
        with contextlib.suppress(OSError):
            conn.sendall(head.encode() + b"[")
            sent.bytes += 1
            while sent.bytes + len(piece) < size:
                conn.sendall(piece)
                sent.bytes += len(piece)
            conn.sendall(b" " * (size - sent.bytes - 1) + b"]")
            sent.bytes = size

    return handle
