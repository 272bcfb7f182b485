"""The refills list's status filter."""

from django import forms
from django.utils.translation import gettext_lazy

from orders.models import RefillStatus


class RefillFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any")), *RefillStatus.choices],
    )
