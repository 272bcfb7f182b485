from django.http import HttpResponseBadRequest


class RejectNulBytesMiddleware:
    """Refuse requests whose query or form holds a NUL character.

    No field of ours can hold one, and PostgreSQL refuses it in any string: answering 400
    here keeps every view from failing on it with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for params in sources:
            for key, values in params.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest("A NUL character is not allowed in a request.")
        return self.get_response(request)
