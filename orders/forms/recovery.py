"""The form that resolves an unverified order with the upstream id staff found or picked."""

from django import forms
from django.utils.translation import gettext_lazy


class UpstreamIdForm(forms.Form):
    upstream_id = forms.IntegerField(
        label=gettext_lazy("Upstream order id"), min_value=1, max_value=2**63 - 1
    )
    # The second, explicit confirmation: the id again, sent only by the "attach anyway"
    # button shown with the reasons it may be another submission's.
    despite = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def despite_doubts(self) -> bool:
        data = self.cleaned_data
        return data.get("despite") is not None and data.get("despite") == data["upstream_id"]
