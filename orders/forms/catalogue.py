"""The catalogue's search filters, and the markup form admins set a service's price with."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import Markup, Provider
from orders.selectors import catalogue as read

TRISTATE = [("", gettext_lazy("Any")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
SINCE_SYNC = [
    ("", gettext_lazy("Any")),
    ("new", gettext_lazy("New at last sync")),
    ("changed", gettext_lazy("Changed at last sync")),
    ("removed", gettext_lazy("Removed at last sync")),
    ("gone", gettext_lazy("Removed (any time)")),
    ("current", gettext_lazy("Still offered")),
]


class ServiceFilterForm(forms.Form):
    q = forms.CharField(required=False, label=gettext_lazy("Search"), max_length=200)
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All providers"),
        label=gettext_lazy("Provider"),
    )
    category = forms.ChoiceField(required=False, label=gettext_lazy("Category"))
    type = forms.ChoiceField(required=False, label=gettext_lazy("Type"))
    refill = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Refill"))
    cancel = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Cancel"))
    enabled = forms.ChoiceField(choices=TRISTATE, required=False, label=gettext_lazy("Enabled"))
    since_sync = forms.ChoiceField(
        choices=SINCE_SYNC, required=False, label=gettext_lazy("Since last sync")
    )

    def __init__(self, data, *, categories: list[str], types: list[str]):
        super().__init__(data)
        any_ = [("", _("Any"))]
        self.fields["category"].choices = any_ + [(c, c) for c in categories]  # type: ignore[attr-defined]
        self.fields["type"].choices = any_ + [(t, t) for t in types]  # type: ignore[attr-defined]

    def filters(self) -> read.ServiceFilter:
        """The valid filters; one that no longer fits (a stale link) is dropped, not fatal."""
        self.is_valid()
        data = {name: "" for name in self.fields} | {"provider": None} | self.cleaned_data
        tristate = {"yes": True, "no": False}
        return read.ServiceFilter(
            q=data["q"],
            provider=data["provider"],
            category=data["category"],
            type=data["type"],
            refill=tristate.get(data["refill"]),
            cancel=tristate.get(data["cancel"]),
            enabled=tristate.get(data["enabled"]),
            since_sync=data["since_sync"],
        )


class MarkupForm(forms.Form):
    markup_kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Provider default")), *Markup.choices],
        required=False,
        label=gettext_lazy("Kind"),
    )
    markup_value = forms.CharField(required=False, label=gettext_lazy("Value"), max_length=30)
