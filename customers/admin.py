"""Customers in the Django admin. Customers, price groups and our services are edited here as
on the staff pages; API keys are looked at and revoked (never their digest), and the account
is read-only: money moves only through customers.services.account."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet

from customers.forms.amounts import AmountField
from customers.forms.offers import rate_checked
from customers.models import AccountEntry, ApiKey, Customer, Offer, PriceGroup
from customers.services.keys import key_revoke
from orders.admin import NoWrites
from panel.admin_lookups import SecretSafeAdmin


@admin.register(PriceGroup)
class PriceGroupAdmin(SecretSafeAdmin):
    list_display = ("name", "adjustment_percent")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        return False  # customers keep it (PROTECT)


@admin.register(Customer)
class CustomerAdmin(SecretSafeAdmin):
    list_display = ("name", "contact", "active", "currency", "price_group", "created_at")
    list_filter = ("active", "currency", "price_group")
    search_fields = ("name", "contact")
    list_select_related = ("price_group",)
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and AccountEntry.objects.filter(customer=obj).exists():
            return (*fields, "currency")  # the account's entries are in it
        return fields

    def has_delete_permission(self, request, obj=None):
        return False  # their account and orders keep them: make them inactive instead


class OfferAdminForm(forms.ModelForm):
    """The staff page's checks: the rate not below cost, the limits within the provider's
    (Offer.clean)."""

    rate = AmountField(label="Our rate per 1000")

    class Meta:
        model = Offer
        fields = (
            "service",
            "name",
            "category",
            "description",
            "rate",
            "min_quantity",
            "max_quantity",
            "enabled",
        )

    def clean_rate(self):
        service = self.cleaned_data.get("service") or getattr(self.instance, "service", None)
        return rate_checked(self.cleaned_data["rate"], service)

    def _post_clean(self):
        # Offer.clean reads the service: with none picked, "required" is the only error.
        if self.cleaned_data.get("service") or self.instance.service_id:
            super()._post_clean()


@admin.register(Offer)
class OfferAdmin(SecretSafeAdmin):
    form = OfferAdminForm
    list_display = ("id", "name", "category", "service", "rate", "enabled", "disabled_reason")
    list_filter = ("enabled", "service__provider")
    search_fields = ("=id", "name", "category")
    list_select_related = ("service__provider",)
    raw_id_fields = ("service",)
    readonly_fields = ("disabled_reason", "disabled_at", "created_at")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "service") if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if obj.enabled and "enabled" in form.changed_data:  # staff looked again
            obj.disabled_reason, obj.disabled_at = "", None
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # our ids are never reused: take it off sale instead


@admin.action(description="Revoke the selected keys", permissions=["revoke"])
def revoke_keys(modeladmin, request, queryset: QuerySet[ApiKey]) -> None:
    revoked = sum(key_revoke(key=key, actor=request.user) for key in queryset)
    modeladmin.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(NoWrites, SecretSafeAdmin):
    """Looked at and revoked; a key is issued on the customer's page, shown there once."""

    list_display = ("prefix", "customer", "label", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "label", "customer__name")
    list_select_related = ("customer",)
    fields = (
        "customer",
        "label",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = [revoke_keys]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("customers.view_apikey") or self.has_revoke_permission(request)

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("customers.change_apikey")

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        if "digest" in lookup:
            return False  # a digest recovered by prefix lookups is a key's stand-in
        return super().lookup_allowed(lookup, value, request)


@admin.register(AccountEntry)
class AccountEntryAdmin(NoWrites, SecretSafeAdmin):
    """Appended by customers.services.account, never edited (PostgreSQL refuses it too)."""

    list_display = ("customer", "seq", "at", "kind", "amount", "currency", "balance_after", "order")
    list_filter = ("kind", "currency")
    search_fields = ("customer__name", "=order__id", "memo")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "order", "actor")
    date_hierarchy = "at"
    show_full_result_count = False
