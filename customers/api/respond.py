"""Every answer of the API: JSON, HTTP 200 with {"error": ...} like real panels, or 429."""

import math
from typing import Any

from django.http import JsonResponse

from customers.api import errors


def answer(payload: Any) -> JsonResponse:
    return JsonResponse(payload, safe=False)


def refused(text: str) -> JsonResponse:
    return answer(errors.error(text))


def too_many(wait: float) -> JsonResponse:
    response = JsonResponse(errors.error(errors.TOO_MANY_REQUESTS), status=429)
    response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response
