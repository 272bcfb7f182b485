"""Our services: one offer over one provider service, its rate and limits ours to set
within the provider's (Offer.clean)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.forms.amounts import AmountField
from customers.models import Offer
from orders.models import Service
from orders.money import money_text


class OfferForm(forms.ModelForm):
    rate = AmountField(label=gettext_lazy("Our rate per 1000"))

    class Meta:
        model = Offer
        fields = ("name", "category", "description", "rate", "min_quantity", "max_quantity")
        labels = {
            "min_quantity": gettext_lazy("Minimum"),
            "max_quantity": gettext_lazy("Maximum"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.service = service
        self.service = service
        currency = service.provider.currency
        cost = money_text(service.rate, currency)
        self.fields["rate"].help_text = _(
            "In %(currency)s. The provider charges %(cost)s; customers' price groups apply on top."
        ) % {"currency": currency, "cost": cost}
        bounds = {"low": service.min_quantity, "high": service.max_quantity}
        self.fields["min_quantity"].help_text = _("The provider's: %(low)s.") % bounds
        self.fields["max_quantity"].help_text = _("The provider's: %(high)s.") % bounds
        if not self.instance.pk and not self.is_bound:
            self.initial |= {
                "name": service.name,
                "category": service.category,
                "description": service.description,
                "rate": format(service.selling_rate().normalize(), "f"),
                "min_quantity": service.min_quantity,
                "max_quantity": service.max_quantity,
            }
        elif self.instance.pk and not self.is_bound:
            self.initial["rate"] = format(self.instance.rate.normalize(), "f")

    def clean_rate(self):
        return rate_checked(self.cleaned_data["rate"], self.service)


def rate_checked(rate, service: Service | None):
    """Our rate, refused at zero or below what the provider charges us."""
    if rate is not None and rate <= 0:
        raise ValidationError(_("Enter a rate above zero."))
    if rate is not None and service is not None and rate < service.rate:
        cost = money_text(service.rate, service.provider.currency)
        raise ValidationError(
            _("Below the provider's rate (%(cost)s): every order would lose money.")
            % {"cost": cost}
        )
    return rate
