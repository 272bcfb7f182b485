"""Talking to the simulator from tests with no server: a `requests` transport adapter.

    session = requests.Session()
    session.mount("http://sim.test/", SimulatorAdapter())
    session.post("http://sim.test/api/v2", data={"key": key, "action": "balance"}, timeout=5)

The request runs through the simulator's view in this process and database (so it sees what
a pytest-django test wrote). Faults behave as a real client would live them, without the
wait: a timeout fault raises `requests.ReadTimeout` (after the action was done, when the
fault's mode is "after"), and added latency does too when it exceeds the read timeout.
"""

import time
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import requests
from django.http import HttpResponse
from django.test import RequestFactory
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from simulator import api, views
from simulator.accounts import account_create
from simulator.catalogue import seed_catalogue
from simulator.demo import DEMO_BALANCE

BASE_URL = "http://sim.test"
API_URL = f"{BASE_URL}/api/v2"
CONTROL_URL = f"{BASE_URL}/control"


class SimulatorAdapter(BaseAdapter):
    """Serves any URL ending in /api/v2 (or /control) from the simulator, in process."""

    in_process = True  # answers from the calling thread's database connection

    def __init__(self, *, sleep: bool = False):
        super().__init__()
        self.sleep = sleep  # really wait out latency shorter than the read timeout

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: object = None,
        proxies: object = None,
    ) -> requests.Response:
        answer = _dispatch(request)
        delay = float(answer.headers.get(api.DELAY_HEADER, 0))
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if delay and read_timeout is not None and delay >= read_timeout:
            raise requests.ReadTimeout(f"simulated: no answer within {read_timeout}s")
        if delay and self.sleep:
            time.sleep(delay)
        return _to_requests(request, answer)

    def close(self) -> None:
        pass


def _dispatch(request: requests.PreparedRequest) -> HttpResponse:
    url = urlsplit(request.url or "")
    path = url.path.rstrip("/")
    factory = RequestFactory()
    body = request.body or b""
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    extra: dict[str, Any] = {api.IN_PROCESS: True, "QUERY_STRING": url.query}
    django_request = factory.generic(
        request.method or "GET",
        url.path,
        data=body.encode() if isinstance(body, str) else body,
        content_type=content_type,
        **extra,
    )
    if path.endswith("/api/v2"):
        return api.endpoint(django_request)
    if path.endswith("/control/log"):
        return views.control_log(django_request)
    if path.endswith("/control"):
        return views.control_endpoint(django_request)
    return HttpResponse(b"<h1>Not Found</h1>", status=404, content_type="text/html")


def _to_requests(request: requests.PreparedRequest, answer: HttpResponse) -> requests.Response:
    response = requests.Response()
    response.status_code = answer.status_code
    response.reason = answer.reason_phrase
    response.headers = CaseInsensitiveDict(dict(answer.items()))
    response.raw = BytesIO(answer.content)
    response._content = answer.content
    response.encoding = answer.charset if "charset=" in answer.get("Content-Type", "") else None
    response.url = request.url or ""
    response.request = request
    return response


def simulator_session(base_url: str = BASE_URL) -> requests.Session:
    """A requests session whose calls to `base_url` go to the in-process simulator."""
    session = requests.Session()
    session.mount(base_url.rstrip("/") + "/", SimulatorAdapter())
    return session


def funded_account(balance=DEMO_BALANCE) -> str:
    """The key of a new account with `balance`, on the standard catalogue."""
    seed_catalogue()
    return account_create(balance=balance).api_key
