"""Requests to /api/v2 that no action could read, answered in the API's JSON.

It runs before any other middleware reads the form, so a body over 64 KB, a form Django
refuses to parse (too many fields, bad multipart) or one holding NUL characters (which
RejectNulBytesMiddleware would refuse with a plain 400 page) gets {"error": "Incorrect
request"} like any other bad request, never a page a client cannot parse.
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from customers.api import errors
from customers.api.respond import refused

API_PATHS = frozenset({"/api/v2", "/api/v2/"})
MAX_BODY = 64 * 1024


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in API_PATHS and not readable(request):
            return refused(errors.INCORRECT_REQUEST)
        return self.get_response(request)


def readable(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # as Django reads it: no body
    if length > MAX_BODY:
        return False
    try:
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for params in sources:
            for name, values in params.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return False
    # SuspiciousOperation: a body too big or too many fields for Django's own limits.
    except (SuspiciousOperation, BadRequest, MultiPartParserError, UnicodeDecodeError, ValueError):
        return False
    return True
