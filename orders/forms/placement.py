"""The new-order form: its fields are exactly those of the service's order type.

Every field is built from the ORDER_TYPES table. The form itself only carries the values;
`validate_order` (through `order_place`) is the one judge, and its errors are put back beside
their fields.
"""

import re
import secrets

from django import forms
from django.utils.translation import gettext as _

from orders.models import Service
from orders.upstream import FieldKind, FieldSpec, OrderTypeSpec, QuantityRule

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,43}")
CARRIED = ("link", "quantity")  # kept when staff switch to another service


def new_token() -> str:
    """A one-time token for one rendered form; the order placed with it is found by it."""
    return secrets.token_urlsafe(24)


def token_ok(token: str) -> bool:
    return bool(TOKEN.fullmatch(token))


def order_fields(spec: OrderTypeSpec, service: Service) -> list[FieldSpec]:
    """The type's fields this service takes (runs and interval only with drip-feed)."""
    return [f for f in spec.fields if service.dripfeed or not f.dripfeed]


class OrderForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(
        self,
        data=None,
        *,
        service: Service,
        spec: OrderTypeSpec,
        initial=None,
        autofocus: bool = False,
    ):
        start = {"service": service.pk, "token": new_token()} | (initial or {})
        super().__init__(data, initial=start)
        self.spec = spec
        self.order_field_names: list[str] = []
        for field_spec in order_fields(spec, service):
            self.fields[field_spec.name] = _form_field(field_spec, spec, service)
            self.order_field_names.append(field_spec.name)
        if autofocus and self.order_field_names:  # htmx focuses it after the swap
            self.fields[self.order_field_names[0]].widget.attrs["autofocus"] = True

    def order_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.order_field_names]

    def params(self) -> dict[str, str]:
        """The order's parameters as typed (validate_order cleans them)."""
        source = self.data if self.is_bound else self.initial
        return {name: str(source.get(name) or "") for name in self.order_field_names}

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Put validate_order's messages beside their fields; the rest go on top."""
        for name, messages in errors.items():
            target = name if name in self.order_field_names else None
            for message in messages:
                self.add_error(target, message[:1].upper() + message[1:])
        wrong = [name for name in self.order_field_names if name in errors]
        if wrong:  # the first field to fix takes the focus
            self.fields[wrong[0]].widget.attrs["autofocus"] = True


def _form_field(field: FieldSpec, spec: OrderTypeSpec, service: Service) -> forms.Field:
    form_field = forms.CharField(
        label=_(field.label),
        required=False,  # validate_order decides, so its messages are the only ones
        strip=True,
        help_text=" ".join(_hints(field, spec, service)),
        widget=_widget(field, spec, service),
    )
    form_field.optional = not field.required or field.required_when is not None  # type: ignore[attr-defined]
    form_field.wide = field.kind is FieldKind.LINES  # type: ignore[attr-defined]
    return form_field


def _hints(field: FieldSpec, spec: OrderTypeSpec, service: Service) -> list[str]:
    bounds = {"low": f"{service.min_quantity:,}", "high": f"{service.max_quantity:,}"}
    if spec.quantity_rule is QuantityRule.LINES and field.name == spec.count_field:
        lines = _("One %(item)s per line, %(low)s to %(high)s lines.")
        return [lines % ({"item": field.item} | bounds)]
    if field.kind is FieldKind.DATE:  # the table's help is the wire format; a picker hides it
        return [_("The last day; leave empty for no end.")]
    hints = [_(field.help).rstrip(".") + "." if field.help else ""]
    if field.name == "quantity" and spec.quantity_rule is QuantityRule.RANGE:
        hints.append(_("Between %(low)s and %(high)s.") % bounds)
        if service.dripfeed:
            hints.append(_("With runs, quantity × runs is at most %(high)s.") % bounds)
    if spec.quantity_rule is QuantityRule.SUBSCRIPTION and field.name in ("min", "max"):
        hints.append(_("Between %(low)s and %(high)s per post.") % bounds)
    if field.required_when:
        hints.append(_needed_when(field, spec))
    return [hint for hint in hints if hint]


def _needed_when(field: FieldSpec, spec: OrderTypeSpec) -> str:
    other_name, value = field.required_when or ("", "")
    other = spec.field(other_name)
    if other is None:
        return ""
    shown = dict(other.choices).get(value, value)
    return _("Needed when %(field)s is %(value)s.") % {"field": _(other.label), "value": shown}


def _widget(field: FieldSpec, spec: OrderTypeSpec, service: Service) -> forms.Widget:
    attrs: dict[str, str | int | bool] = {}
    if field.required and field.required_when is None:
        attrs["required"] = True
    if field.kind is FieldKind.LINK:
        attrs |= {"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        return forms.TextInput(attrs)
    if field.kind is FieldKind.INT:
        attrs |= {"inputmode": "numeric", "step": 1}
        if field.min_value is not None:
            attrs["min"] = field.min_value
        if field.name in ("quantity", "min", "max"):
            attrs |= {"min": service.min_quantity, "max": service.max_quantity}
        return forms.NumberInput(attrs)
    if field.kind is FieldKind.LINES:
        return forms.Textarea(attrs | {"rows": 6, "spellcheck": "false"})
    if field.kind is FieldKind.CHOICE:
        blank = ("", _("Choose…"))
        return forms.Select(attrs, choices=[blank, *[(v, _(label)) for v, label in field.choices]])
    if field.kind is FieldKind.DATE:
        return forms.DateInput(attrs | {"type": "date"}, format="%Y-%m-%d")
    return forms.TextInput(attrs)
