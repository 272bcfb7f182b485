"""POST /api/v2: the key, the key's request limit, then the action's handler.

The raw key is never kept, logged or echoed: it is looked up by its digest, and Django's
error reports hide it (sensitive_post_parameters).
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters

from customers.api import errors
from customers.api.actions import ACTIONS, Call
from customers.api.errors import ApiError
from customers.api.respond import answer, refused, too_many
from customers.selectors.keys import key_lookup
from customers.services.keys import key_touch
from customers.services.limits import request_take

log = logging.getLogger(__name__)


@csrf_exempt
@sensitive_post_parameters("key")
def endpoint(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":  # real panels take POST only: a key in a URL is a leak
        return refused(errors.INCORRECT_REQUEST)
    form = request.POST
    key = key_lookup(form.get("key", "").strip())
    if key is None:
        return refused(errors.INVALID_KEY)
    wait = request_take(key, key.customer.rate_limit_per_minute)
    if wait:
        return too_many(wait)
    key_touch(key)
    action = form.get("action", "").strip()
    handler = ACTIONS.get(action)
    if handler is None:
        return refused(errors.INCORRECT_REQUEST)
    try:
        return answer(handler(Call(customer=key.customer, form=form)))
    except ApiError as exc:
        return refused(exc.text)
    except Exception:  # a bug of ours: logged for us, still an answer the client can read
        log.exception("api action=%s customer=%s failed", action, key.customer_id)
        return refused(errors.SERVER_ERROR)
