"""The engine's tables in the Django admin. What the engine writes (orders, their events,
calls, job runs, refills, cancel requests) is read-only here; providers and services are
edited through the same services as the staff pages, so keys, checks and the audit trail
are the same whichever way staff come in."""

from django import forms
from django.contrib import admin

from orders import admin_users  # noqa: F401  (the accounts' admin registers itself)
from orders.forms.providers import ProviderForm
from orders.models import (
    ApiCall,
    AuditEntry,
    CancelRequest,
    JobRun,
    LedgerEntry,
    Order,
    OrderEvent,
    Provider,
    Refill,
    Service,
    ServiceChange,
)
from orders.services.catalogue_admin import (
    MarkupInvalid,
    markup_clean,
    service_enable,
    service_markup_set,
)
from orders.services.provider_admin import provider_save
from panel.admin_lookups import SecretSafeAdmin

UPSTREAM_ORDER_FIELDS = (
    "upstream_id",
    "status",
    "status_raw",
    "charge",
    "currency",
    "start_count",
    "remains",
    "upstream_extra",
    "missing_count",
    "missing_upstream",
    "submitted_at",
    "completed_at",
    "last_checked_at",
    "next_check_at",
    "check_interval",
)


class NoWrites:
    """Rows the engine writes: staff look, they never add, change or delete them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, SecretSafeAdmin):
    pass


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0


@admin.register(Provider)
class ProviderAdmin(SecretSafeAdmin):
    form = ProviderForm
    list_display = (
        "name",
        "api_url",
        "api_key_hint",
        "is_active",
        "balance",
        "currency",
        "consecutive_failures",
        "paused_until",
        "catalogue_synced_at",
    )
    list_filter = ("is_active", "currency")
    search_fields = ("name", "api_url")
    readonly_fields = (
        "api_key_hint",
        "balance",
        "balance_checked_at",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "consecutive_failures",
        "catalogue_synced_at",
        "orders_polled_at",
        "created_at",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):
        provider_save(provider=obj, api_key=form.cleaned_data["new_api_key"], user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # its orders and calls keep it: deactivate it instead


class ServiceChangeInline(ReadOnlyInline):
    model = ServiceChange
    readonly_fields = (
        "seen_at",
        "old_rate",
        "new_rate",
        "old_min",
        "new_min",
        "old_max",
        "new_max",
    )


class ServiceForm(forms.ModelForm):
    """What staff decide about a service; the rest comes from the provider's catalogue."""

    class Meta:
        model = Service
        fields = ("enabled", "markup_kind", "markup_value")

    def clean(self):
        cleaned = super().clean() or {}
        try:
            markup_clean(cleaned.get("markup_kind", ""), cleaned.get("markup_value"))
        except MarkupInvalid as exc:
            for name, problems in exc.errors.items():
                self.add_error(name, problems)
        return cleaned


@admin.register(Service)
class ServiceAdmin(SecretSafeAdmin):
    form = ServiceForm
    list_display = (
        "upstream_id",
        "name",
        "provider",
        "type",
        "category",
        "rate",
        "min_quantity",
        "max_quantity",
        "refill",
        "cancel",
        "enabled",
        "removed_at",
    )
    list_filter = ("provider", "enabled", "refill", "cancel", "dripfeed", "type")
    search_fields = ("name", "category", "=upstream_id")
    list_select_related = ("provider",)
    readonly_fields = (
        "provider",
        "upstream_id",
        "name",
        "type",
        "category",
        "rate",
        "min_quantity",
        "max_quantity",
        "refill",
        "cancel",
        "dripfeed",
        "description",
        "raw",
        "first_seen_at",
        "last_seen_at",
        "changed_at",
        "removed_at",
    )
    inlines = [ServiceChangeInline]

    def save_model(self, request, obj, form, change):
        """Through the catalogue services, each change audited; a service comes only from a
        sync, so there is never a new one to save here."""
        data = form.cleaned_data
        if "enabled" in form.changed_data:
            service_enable(service=obj, enabled=data["enabled"], user=request.user)
        if {"markup_kind", "markup_value"} & set(form.changed_data):
            kind, value = data["markup_kind"], data["markup_value"]
            service_markup_set(service=obj, kind=kind, value=value, user=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    readonly_fields = ("at", "kind", "message", "data", "actor")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "provider",
        "order_type",
        "link",
        "quantity",
        "state",
        "status",
        "charge",
        "remains",
        "created_at",
    )
    list_filter = ("state", "status", "provider", "missing_upstream")
    search_fields = ("=id", "=upstream_id", "link")
    list_select_related = ("provider",)
    raw_id_fields = ("service", "placed_by")
    readonly_fields = (
        *UPSTREAM_ORDER_FIELDS,
        "cost",
        "price",
        "settled_at",
        "rate",
        "selling_rate",
        "params",
        "state",
        "rejection_reason",
        "rejection_message",
        "submit_attempts",
        "created_at",
    )
    inlines = [OrderEventInline]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """The ledger is appended to by the services that move money, never edited."""

    list_display = ("at", "kind", "amount", "currency", "provider", "order", "memo")
    list_filter = ("kind", "currency", "provider")
    search_fields = ("=order__id", "memo")
    list_select_related = ("provider",)
    raw_id_fields = ("order", "service", "actor")
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(Refill)
class RefillAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "upstream_id", "status", "status_raw", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("order", "requested_by")
    readonly_fields = (
        "upstream_id",
        "status",
        "status_raw",
        "error_reason",
        "error_message",
        "last_checked_at",
        "next_check_at",
        "completed_at",
    )


@admin.register(CancelRequest)
class CancelRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "accepted", "error_message", "created_at")
    list_filter = ("accepted",)
    raw_id_fields = ("order", "requested_by")


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "provider",
        "action",
        "ids",
        "duration_ms",
        "outcome",
        "reason",
        "http_status",
    )
    list_filter = ("provider", "action", "outcome")
    show_full_result_count = False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "last_started_at",
        "last_finished_at",
        "last_ok",
        "last_summary",
        "running_until",
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(SecretSafeAdmin):
    list_display = ("at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target", "actor__username")
    readonly_fields = ("at", "actor", "action", "target", "details")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
