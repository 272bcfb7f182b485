"""The mass-order form: the pasted lines, and the provider where service ids are shared."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.forms.placement import token_ok
from orders.models import Provider
from orders.services.mass_order import MAX_LINES, mass_order_parse


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
