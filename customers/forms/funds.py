"""Adding funds and correcting a balance: an amount and the reason kept with it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.forms.amounts import AmountField


class FundsForm(forms.Form):
    amount = AmountField(label=gettext_lazy("Amount"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("Kept with the entry, e.g. the payment's reference."),
        error_messages={"required": gettext_lazy("Say why: the reason is kept with the entry.")},
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("Enter an amount above zero."))
        return amount


class CorrectionForm(FundsForm):
    amount = AmountField(
        label=gettext_lazy("Correction"),
        signed=True,
        help_text=gettext_lazy("Negative takes money off, e.g. -5.00."),
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount == 0:
            raise ValidationError(_("A correction of zero changes nothing."))
        return amount
