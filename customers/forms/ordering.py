"""The new-order form's "For a customer" choice: an order charged to a customer's account."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer
from customers.selectors.account import ZERO, with_balance
from customers.services.account import NotEnoughFunds
from orders.forms.orders import ListedModelChoiceField
from orders.models import Service
from orders.money import money_text


class CustomerChoice(ListedModelChoiceField):
    def label_from_instance(self, obj: Customer) -> str:
        balance = money_text(getattr(obj, "balance", None) or ZERO, obj.currency)
        return _("%(name)s · balance %(balance)s") % {"name": obj.name, "balance": balance}


class CustomerChoiceForm(forms.Form):
    """Rendered above the order form and sent with it (`form="order-form"`), so it stays as
    chosen while services are swapped in below."""

    customer = CustomerChoice(
        with_balance(Customer.objects.filter(active=True).only("pk", "name", "currency")),
        label=gettext_lazy("For a customer"),
        required=False,
        empty_label=gettext_lazy("No one: a staff order, not charged to a customer"),
        help_text=gettext_lazy(
            "Charged to their balance at our service's rate with their price group, as the "
            "estimate below shows once the order is filled in."
        ),
        widget=forms.Select(attrs={"form": "order-form", "id": "for-customer"}),
        error_messages={"invalid_choice": gettext_lazy("That customer is gone or inactive.")},
    )


def no_offer_text(service: Service, customer: Customer) -> str:
    """Why this provider service cannot be sold to the customer as it stands."""
    currency = service.provider.currency
    if currency != customer.currency:
        return _(
            "%(customer)s pays in %(theirs)s, and this service is priced in %(ours)s: pick a "
            "service in %(theirs)s."
        ) % {"customer": customer.name, "theirs": customer.currency, "ours": currency}
    return _(
        "None of our services sells this provider service to customers in %(currency)s (or it "
        "is off sale): add or enable one under Our services first."
    ) % {"currency": customer.currency}


def short_text(short: NotEnoughFunds, customer: Customer) -> str:
    balance = money_text(short.balance, customer.currency)
    return _("Not enough funds on the customer's balance (%(balance)s).") % {"balance": balance}
