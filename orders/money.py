"""Money as text: the one way every page, fragment and message shows an amount.

Grouped as the reader's language groups numbers (1,234.50 in English, 1.234,50 in German),
with two decimals, and more only where the amount has them: upstream rates and charges
carry up to 5 (0.018 per 1000 is not 0.02). A stored digit is never rounded away. No amount
reads "–".
"""

from decimal import Decimal

from django.utils.formats import number_format

NO_AMOUNT = "–"
DECIMALS = 2


def money_text(amount: Decimal | None, currency: str | None = None) -> str:
    """`amount` for a person: "1,234.50", "0.018", "1,234.50 USD" with a currency, "–"."""
    if amount is None:
        return NO_AMOUNT
    exponent = amount.normalize().as_tuple().exponent
    places = max(DECIMALS, -exponent) if isinstance(exponent, int) else DECIMALS
    text = number_format(amount, places, use_l10n=True, force_grouping=True)
    return f"{text} {currency}" if currency else text
