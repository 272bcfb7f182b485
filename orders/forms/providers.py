"""The provider form: the providers page and the Django admin both add and edit providers
with it, and both save through services.provider_admin.provider_save (key, audit)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import Provider
from orders.services.catalogue_admin import MarkupInvalid, markup_clean
from orders.services.provider_admin import EDITABLE_FIELDS

# (field, lowest, highest): beyond these a value is a typo, not a setting.
BOUNDS = (
    ("rate_limit_per_minute", 1, 100_000),
    ("connect_timeout", 0.5, 60),
    ("read_timeout", 1, 300),
    ("call_deadline", 5, 600),
    ("drift_tolerance", 0, 1_000_000),
)


class ProviderForm(forms.ModelForm):
    new_api_key = forms.CharField(
        required=False,
        max_length=500,
        label=gettext_lazy("API key"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = Provider
        # What staff edit, with the key field after the URL (the key is saved encrypted).
        fields = (*EDITABLE_FIELDS[:2], "new_api_key", *EDITABLE_FIELDS[2:])
        labels = {
            "api_url": gettext_lazy("API URL"),
            "is_active": gettext_lazy("Active (orders, polling and syncs run)"),
            "connect_timeout": gettext_lazy("Connect timeout (seconds)"),
            "read_timeout": gettext_lazy("Read timeout (seconds)"),
            "call_deadline": gettext_lazy("Call deadline (seconds)"),
            "drift_tolerance": gettext_lazy("Drift tolerance"),
            "default_markup_kind": gettext_lazy("Default markup"),
            "default_markup_value": gettext_lazy("Default markup value"),
        }
        help_texts = {
            "api_url": gettext_lazy(
                "The panel's API v2 address, e.g. https://panel.example/api/v2"
            ),
            "currency": gettext_lazy("Filled in from the balance answer when left blank."),
            "low_balance_threshold": gettext_lazy("Warn when the balance falls under this."),
            "drift_tolerance": gettext_lazy(
                "Flag a balance check whose difference from our ledger is larger than this."
            ),
            "default_markup_value": gettext_lazy("Percent, or an amount per 1000 for fixed."),
            "call_deadline": gettext_lazy("A call whose whole answer is not in by then is cut."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("low_balance_threshold", "drift_tolerance", "default_markup_value"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):  # 10, not the column's 10.00000000
                self.initial[name] = format(value.normalize(), "f")
        key = self.fields["new_api_key"]
        if self.instance.pk:
            key.label = _("New API key")
            key.help_text = _(
                "Stored key: %(hint)s. Leave blank to keep it; type a key only to replace it."
            ) % {"hint": self.instance.api_key_hint or "–"}
        else:
            key.required = True
            key.error_messages["required"] = _("A new provider needs its API key.")
            key.help_text = _("From the provider's API page. Stored encrypted, never shown again.")

    def clean_api_url(self) -> str:
        url = self.cleaned_data["api_url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Use an http:// or https:// address."))
        return url

    def clean_low_balance_threshold(self) -> Decimal:
        value = self.cleaned_data["low_balance_threshold"]
        if value < 0:
            raise ValidationError(_("The threshold cannot be negative."))
        return value

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name, low, high in BOUNDS:
            value = cleaned.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name, _("Between %(low)s and %(high)s.") % {"low": low, "high": high}
                )
        kind, value = cleaned.get("default_markup_kind"), cleaned.get("default_markup_value")
        if kind and value is not None:
            try:
                markup_clean(kind, value)
            except MarkupInvalid as exc:
                self.add_error("default_markup_value", exc.errors["markup_value"])
        return cleaned
