"""The error texts the simulator answers with, as real panels word them."""

INVALID_KEY = "Invalid API key"
ACCOUNT_DISABLED = "API is disable for this user or user not found"
INCORRECT_REQUEST = "Incorrect request"
INCORRECT_SERVICE = "Incorrect service ID"
INCORRECT_ORDER = "Incorrect order ID"
INCORRECT_LINK = "Incorrect link"
INCORRECT_QUANTITY = "Incorrect quantity"
MIN_QUANTITY = "Quantity less than minimal {min}"
MAX_QUANTITY = "Quantity more than maximum {max}"
NOT_ENOUGH_FUNDS = "Not enough funds on balance"
ACTIVE_ORDER = "You have active order with this link. Please wait until order being completed."
DRIPFEED_DISABLED = "Drip-feed is disabled for this service"
TOO_MANY_IDS = "Too many IDs: 100 at most"
REFILL_NOT_FOUND = "Refill not found"
REFILL_DISABLED = "Refill is disabled for this service"
NOT_REFILLABLE = "Order not eligible for refill."
REFILL_NOT_COMPLETED = "Order is not completed yet"
REFILL_RUNNING = "The refill task is not completed for this order"
REFILL_COOLDOWN = "Refill is possible once every 24 hours"
CANCEL_DISABLED = "Cancel is disabled for this service"
CANCEL_TOO_LATE = "This order cannot be canceled"


def incorrect(field: str) -> str:
    """A type parameter that is missing or malformed: 'Incorrect usernames'."""
    return f"Incorrect {field.replace('_', ' ')}"


# The "codes" dialect: some panels answer machine codes for these instead of sentences.
CODES = {
    NOT_ENOUGH_FUNDS: "neworder.error.not_enough_funds",
    ACTIVE_ORDER: "neworder.error.link_duplicate",
    INCORRECT_LINK: "neworder.error.link",
    INCORRECT_SERVICE: "neworder.error.incorrect_service_id",
}


def as_code(text: str) -> str:
    if text in CODES:
        return CODES[text]
    if text.startswith("Quantity less than minimal"):
        return "neworder.error.min_quantity"
    if text.startswith("Quantity more than maximum"):
        return "neworder.error.max_quantity"
    return text


class SimError(Exception):
    """An answer of the form {"error": text}, given with HTTP 200 like real panels."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text
