"""Adding and editing a customer."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer

CURRENCY = re.compile(r"[A-Z]{3,8}")


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = (
            "name",
            "contact",
            "currency",
            "price_group",
            "rate_limit_per_minute",
            "active",
            "notes",
        )
        labels = {
            "rate_limit_per_minute": gettext_lazy("API rate limit"),
            "active": gettext_lazy("Active (their API keys work)"),
        }
        help_texts = {
            "currency": gettext_lazy(
                "They buy services of providers in this currency; fixed once money moved."
            ),
            "price_group": gettext_lazy("A markup or discount on our selling rates."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, locked_currency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price_group"].empty_label = _("None: our selling rates")
        if locked_currency:
            field = self.fields["currency"]
            field.disabled = True
            field.help_text = _("Fixed: the account already has entries in this currency.")

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if not CURRENCY.fullmatch(currency):
            raise ValidationError(_("A currency code of 3 to 8 letters, e.g. USD."))
        return currency

    def clean_rate_limit_per_minute(self) -> int:
        value = self.cleaned_data["rate_limit_per_minute"]
        if not 1 <= value <= 100_000:
            raise ValidationError(_("Between 1 and 100000."))
        return value
