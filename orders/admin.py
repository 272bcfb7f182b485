from django import forms
from django.contrib import admin

from orders.models import (
    ApiCall,
    AuditEntry,
    CancelRequest,
    JobRun,
    Order,
    OrderEvent,
    Provider,
    Refill,
    Service,
    ServiceChange,
)

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


class ProviderForm(forms.ModelForm):
    new_api_key = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Type a key only to replace the stored one.",
    )

    class Meta:
        model = Provider
        fields = (
            "name",
            "api_url",
            "new_api_key",
            "is_active",
            "currency",
            "low_balance_threshold",
            "rate_limit_per_minute",
            "connect_timeout",
            "read_timeout",
            "call_deadline",
            "default_markup_kind",
            "default_markup_value",
        )

    def clean(self):
        cleaned = super().clean() or {}
        if not self.instance.pk and not cleaned.get("new_api_key"):
            self.add_error("new_api_key", "A new provider needs its API key.")
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("new_api_key"):
            self.instance.api_key = self.cleaned_data["new_api_key"]
        return super().save(commit)


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
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


class ServiceChangeInline(admin.TabularInline):
    model = ServiceChange
    extra = 0
    can_delete = False
    readonly_fields = (
        "seen_at",
        "old_rate",
        "new_rate",
        "old_min",
        "new_min",
        "old_max",
        "new_max",
    )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
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


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "message", "data", "actor")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
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
        "params",
        "state",
        "rejection_reason",
        "rejection_message",
        "submit_attempts",
        "created_at",
    )
    inlines = [OrderEventInline]
    show_full_result_count = False


@admin.register(Refill)
class RefillAdmin(admin.ModelAdmin):
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
class CancelRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "accepted", "error_message", "created_at")
    list_filter = ("accepted",)
    raw_id_fields = ("order", "requested_by")


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
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

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "last_started_at",
        "last_finished_at",
        "last_ok",
        "last_summary",
        "running_until",
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
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
