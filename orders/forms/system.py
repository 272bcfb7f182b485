"""The API call log's filters on the system page."""

from django import forms
from django.utils.translation import gettext_lazy

from orders.models import Provider
from orders.selectors import system as read


class CallFilterForm(forms.Form):
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All providers"),
        label=gettext_lazy("Provider"),
    )
    action = forms.ChoiceField(
        choices=[("", gettext_lazy("Any")), *((a, a) for a in read.ACTIONS)],
        required=False,
        label=gettext_lazy("Action"),
    )
    outcome = forms.ChoiceField(
        choices=[("", gettext_lazy("Any")), *((o, o) for o in read.OUTCOMES)],
        required=False,
        label=gettext_lazy("Outcome"),
    )
    day = forms.DateField(
        required=False,
        label=gettext_lazy("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> read.CallFilter:
        """The valid filters; an invalid one is shown with its error and otherwise ignored."""
        self.is_valid()
        data = self.cleaned_data
        return read.CallFilter(
            provider=data.get("provider"),
            action=data.get("action", ""),
            outcome=data.get("outcome", ""),
            day=data.get("day"),
        )
