"""The orders list's filter form, and the widgets that render its ~40 options quickly."""

from collections.abc import Iterable

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import LocalState, Provider, Status
from orders.selectors.orders import DEFAULT_SORT, ORDER_SORTS, OrderFilter
from orders.selectors.tabs import TABS
from orders.upstream import ORDER_TYPES


def _any(choices: Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", gettext_lazy("Any")), *choices]


class DateInput(forms.DateInput):
    input_type = "date"


class FilterSelect(forms.Select):
    """Django's <select>, the same markup as its select.html and select_option.html, written
    here instead of through two template includes per option: the filter form's ~40 options
    took as long to render as the list's 50 rows."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            html.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


class ListedChoices(ModelChoiceIterator):
    """The choices read by one plain query. Django's iterator reads them with iterator(),
    which on PostgreSQL opens a server-side cursor: three round trips for a few rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # each form's own copy of the field's queryset
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` when True, none when False."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Link or id"), required=False, max_length=300)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=_any(Status.choices),
        widget=FilterSelect,
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Local state"),
        required=False,
        choices=_any(LocalState.choices),
        widget=FilterSelect,
    )
    provider = ListedModelChoiceField(
        Provider.objects.only("pk", "name"),
        label=gettext_lazy("Provider"),
        required=False,
        empty_label=gettext_lazy("Any"),
        widget=FilterSelect,
    )
    service = forms.CharField(label=gettext_lazy("Service"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=_any((spec.name, spec.name) for spec in ORDER_TYPES),
        widget=FilterSelect,
    )
    # Set from a customer's page; the list says whose orders it shows (orders/list.html).
    customer = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    created_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    created_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput)
    sort = forms.ChoiceField(
        required=False, choices=[(k, k) for k in ORDER_SORTS], widget=forms.HiddenInput
    )
    # Chosen by the tabs above the list; kept here so filtering stays within the tab.
    tab = forms.ChoiceField(
        required=False, choices=[(t.key, t.key) for t in TABS], widget=forms.HiddenInput
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date is before the start date."))
        return data

    def rules(self) -> OrderFilter:
        """The filter from the fields that are valid; a wrong field is shown, not applied."""
        data = getattr(self, "cleaned_data", {})
        return OrderFilter(
            search=data.get("q", ""),
            tab=data.get("tab", ""),
            status=data.get("status", ""),
            state=data.get("state", ""),
            provider=data.get("provider"),
            service=data.get("service", ""),
            order_type=data.get("type", ""),
            created_from=data.get("created_from"),
            created_to=data.get("created_to") if "created_to" not in self.errors else None,
            customer_id=data.get("customer"),
        )

    def sorting(self) -> str:
        return getattr(self, "cleaned_data", {}).get("sort") or DEFAULT_SORT
