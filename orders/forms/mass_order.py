"""The mass-order form (the pasted lines, and the provider where service ids are shared) and
the guide to the line format shown beside it, written from the order-type table."""

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.forms.placement import token_ok
from orders.models import Provider
from orders.services.mass_order import MAX_LINES, POSITIONAL, mass_order_parse
from orders.upstream import ORDER_TYPES, FieldKind, FieldSpec, OrderTypeSpec, QuantityRule


class MassOrderForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        required=False,
        label=gettext_lazy("Provider"),
        empty_label=gettext_lazy("Any provider (each service id must be unique)"),
        help_text=gettext_lazy("Service ids are the provider's own; choose one if they clash."),
    )
    lines = forms.CharField(
        label=gettext_lazy("Order lines"),
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "spellcheck": "false",
                "autocomplete": "off",
                "class": "mono",
                "placeholder": "1 | https://instagram.com/p/abc | 1000\n"
                "4 | https://instagram.com/p/abc",
            }
        ),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, providers: QuerySet[Provider], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers

    def clean_lines(self) -> str:
        text = self.cleaned_data["lines"]
        count = len(mass_order_parse(text))
        if not count:
            raise forms.ValidationError(
                _("Paste at least one order line (blank lines and # comments are skipped).")
            )
        if count > MAX_LINES:
            raise forms.ValidationError(
                _("At most %(max)s order lines at once: you pasted %(count)s; split them up.")
                % {"max": MAX_LINES, "count": count}
            )
        return text

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        return token if token_ok(token) else ""


@dataclass(frozen=True)
class TypeFormat:
    """How the lines of one order type are written, for the format guide on the page."""

    name: str
    columns: str  # the positional columns it uses after the service id
    keys: tuple[tuple[str, str], ...]  # (key, note)


def type_formats() -> list[TypeFormat]:
    return [_type_format(spec) for spec in ORDER_TYPES]


def _type_format(spec: OrderTypeSpec) -> TypeFormat:
    names = {f.name for f in spec.fields}
    columns = ["link" if "link" in names else "(no link)"]
    if spec.quantity_rule is QuantityRule.RANGE:
        columns.append("quantity")
    elif spec.quantity_rule is QuantityRule.LINES:
        columns.append(f"(empty: the {spec.count_field} are counted)")
    keys = [(f.name, _key_note(f)) for f in spec.fields if f.name not in POSITIONAL]
    return TypeFormat(spec.name, " | ".join(columns), tuple(keys))


def _key_note(spec_field: FieldSpec) -> str:
    notes = []
    if spec_field.kind is FieldKind.LINES:
        notes.append(f"{spec_field.item}s separated by ;")
    if spec_field.choices:
        values = [value for value, _label in spec_field.choices]
        shown = values if len(values) <= 5 else [*values[:3], "…", values[-1]]
        notes.append("one of " + ", ".join(shown))
    if spec_field.kind is FieldKind.DATE:
        notes.append("dd/mm/yyyy")
    if spec_field.dripfeed:
        notes.append("drip-feed services only")
    elif spec_field.required_when:
        other, value = spec_field.required_when
        notes.append(f"when {other}={value}")
    elif not spec_field.required:
        notes.append("optional")
    return ", ".join(notes)
