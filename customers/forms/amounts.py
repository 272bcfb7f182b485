"""Money typed by a person: plain decimal text, parsed exactly (never through float)."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACES = 8
LIMIT = Decimal(10) ** 15
AMOUNT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def parse_amount(text: str, *, signed: bool = False) -> Decimal:
    """`text` as a Decimal, or ValidationError saying what is wrong with it. Digits with an
    optional point only: no exponent, no NaN or infinity, no grouping commas."""
    text = text.strip().replace(" ", "")
    if not AMOUNT.fullmatch(text):
        raise ValidationError(_("Enter an amount as digits with an optional point, e.g. 25.50."))
    if text.startswith("-") and not signed:
        raise ValidationError(_("Enter an amount above zero."))
    amount = Decimal(text)
    if -amount.as_tuple().exponent > PLACES:  # type: ignore[operator]
        raise ValidationError(_("At most %(n)s decimal places.") % {"n": PLACES})
    if abs(amount) >= LIMIT:
        raise ValidationError(_("That amount is too large."))
    return amount


class AmountField(forms.CharField):
    def __init__(self, *, signed: bool = False, **kwargs):
        self.signed = signed
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return parse_amount(text, signed=self.signed)
