"""No Django admin list may be filtered on a secret: `?api_key__startswith=a` would recover a
key one character at a time, whether or not the field is shown."""

from typing import Any

from django.contrib import admin

SECRET_PARTS = ("api_key", "password", "secret", "token")


def lookup_is_secret(lookup: str) -> bool:
    return any(part.startswith(SECRET_PARTS) for part in lookup.lower().split("__"))


class SecretSafeAdmin(admin.ModelAdmin):
    """A ModelAdmin whose lists refuse (with a 400) any lookup that touches a secret field."""

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        if lookup_is_secret(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)
