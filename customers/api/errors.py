"""The error texts our API answers with, worded as the seed and real panels word them."""

INVALID_KEY = "Invalid API key"
INCORRECT_REQUEST = "Incorrect request"
TOO_MANY_REQUESTS = "Too many requests"
TOO_MANY_IDS = "Too many IDs: 100 at most"
INCORRECT_SERVICE = "Incorrect service ID"
INCORRECT_ORDER = "Incorrect order ID"
INCORRECT_LINK = "Incorrect link"
INCORRECT_QUANTITY = "Incorrect quantity"
MIN_QUANTITY = "Quantity less than minimal {min}"
MAX_QUANTITY = "Quantity more than maximum {max}"
NOT_ENOUGH_FUNDS = "Not enough funds on balance"
DRIPFEED_DISABLED = "Drip-feed is disabled for this service"
REFILL_NOT_FOUND = "Refill not found"
REFILL_DISABLED = "Refill is disabled for this service"
NOT_REFILLABLE = "Order not eligible for refill."
REFILL_NOT_COMPLETED = "Order is not completed yet"
REFILL_RUNNING = "The refill task is not completed for this order"
CANCEL_DISABLED = "Cancel is disabled for this service"
CANCEL_TOO_LATE = "This order cannot be canceled"
TRY_LATER = "Temporarily unavailable, try again later"
SERVER_ERROR = "Server error, try again later"


def incorrect(field: str) -> str:
    """A type parameter that is missing or malformed: 'Incorrect usernames'."""
    return f"Incorrect {field.replace('_', ' ')}"


class ApiError(Exception):
    """An answer of the form {"error": text}, given with HTTP 200 like real panels."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def error(text: str) -> dict[str, str]:
    return {"error": text}
