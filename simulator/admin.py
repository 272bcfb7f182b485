"""The simulator's tables in the Django admin; faults are easier from /simulator/ itself."""

from django.contrib import admin

from panel.admin_lookups import SecretSafeAdmin
from simulator.models import (
    SimAccount,
    SimConfig,
    SimLedgerEntry,
    SimOrder,
    SimRefill,
    SimRequest,
    SimService,
)


@admin.register(SimAccount)
class SimAccountAdmin(SecretSafeAdmin):
    # The demo provider's key is one of these: shown masked, like every provider key.
    list_display = ["name", "key_hint", "balance", "currency", "created_at"]
    search_fields = ["name"]
    exclude = ["api_key"]
    readonly_fields = ["key_hint"]

    @admin.display(description="API key")
    def key_hint(self, account: SimAccount) -> str:
        return f"••••••••{account.api_key[-4:]}"


@admin.register(SimService)
class SimServiceAdmin(SecretSafeAdmin):
    list_display = ["service_id", "name", "type", "category", "rate", "min_quantity"]
    list_filter = ["type", "refill", "cancel", "active"]
    search_fields = ["name", "category"]


@admin.register(SimOrder)
class SimOrderAdmin(SecretSafeAdmin):
    list_display = ["pk", "account", "service", "kind", "status", "link", "quantity", "charge"]
    list_filter = ["status", "kind"]
    search_fields = ["link"]
    raw_id_fields = ["account", "service", "parent"]


@admin.register(SimRefill)
class SimRefillAdmin(SecretSafeAdmin):
    list_display = ["pk", "order", "status", "outcome"]
    raw_id_fields = ["account", "order"]


@admin.register(SimRequest)
class SimRequestAdmin(SecretSafeAdmin):
    list_display = ["pk", "at", "action", "ids_count", "outcome", "detail", "http_status"]
    list_filter = ["action", "outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SimLedgerEntry)
class SimLedgerEntryAdmin(SecretSafeAdmin):
    list_display = ["pk", "at", "account", "kind", "amount", "order", "memo"]
    list_filter = ["kind"]
    raw_id_fields = ["account", "order"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SimConfig)
class SimConfigAdmin(SecretSafeAdmin):
    list_display = ["__str__", "speed", "faults_fired"]
