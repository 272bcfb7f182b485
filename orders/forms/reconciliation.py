"""What staff type to reconcile a provider: a note on a drift, a top-up, a correction.

Amounts are read from their text as Decimal (never through float), with errors that say
what to type instead."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Beyond this an amount is a typo, not a payment.
MAX_AMOUNT = Decimal("1000000")
PLACES = 8  # the ledger's precision
AMOUNT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(text: str) -> Decimal:
    """A plain decimal number: digits, an optional sign and one decimal point."""
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise ValidationError(_("Enter an amount."), code="required")
    if "," in raw:
        raise ValidationError(
            _("Use a point for decimals and no thousands separator, e.g. 1250.50."),
            code="comma",
        )
    if not AMOUNT.match(raw):
        raise ValidationError(_("“%(text)s” is not an amount, e.g. 25.50.") % {"text": text[:40]})
    amount = Decimal(raw)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > PLACES:
        raise ValidationError(_("At most %(places)s decimals.") % {"places": PLACES})
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("At most %(max)s.") % {"max": f"{MAX_AMOUNT:,}"})
    return amount


class AmountField(forms.CharField):
    def __init__(self, *, signed: bool, **kwargs):
        self.signed = signed
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": gettext_lazy("Enter an amount.")})
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def clean(self, value) -> Decimal:
        amount = parse_amount(super().clean(value) or "")
        if not amount:
            raise ValidationError(_("The amount cannot be zero."))
        if amount < 0 and not self.signed:
            raise ValidationError(
                _(
                    "A top-up is money paid in: enter it without a minus sign. "
                    "Use a correction for money taken out."
                )
            )
        return amount


def _reason(help_text) -> forms.CharField:
    return forms.CharField(max_length=300, label=gettext_lazy("Reason"), help_text=help_text)


class TopUpForm(forms.Form):
    prefix = "top_up"  # both money forms share one page: distinct field ids
    amount = AmountField(signed=False, label=gettext_lazy("Amount paid in"))
    reason = _reason(gettext_lazy("E.g. the payment's reference with the provider."))


class CorrectionForm(forms.Form):
    prefix = "correction"
    amount = AmountField(
        signed=True,
        label=gettext_lazy("Change of the balance"),
        help_text=gettext_lazy(
            "Negative for money the provider took (a fee), positive for money it gave back."
        ),
    )
    reason = _reason(gettext_lazy("What the provider's statement says it was."))


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        max_length=300,
        label=gettext_lazy("Note"),
        help_text=gettext_lazy("What caused the drift, for whoever looks next."),
    )
