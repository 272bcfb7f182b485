from django import forms
from django.utils.translation import gettext_lazy


class KeyIssueForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Label"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Where the key is used, e.g. “shop backend”."),
    )
