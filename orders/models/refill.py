from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RefillStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELED = "canceled", _("Canceled")
    ERROR = "error", _("Error")
    FAILED = "failed", _("Refused")
    UNKNOWN = "unknown", _("Unknown")


FINAL_REFILL_STATUSES = frozenset(
    {
        RefillStatus.COMPLETED,
        RefillStatus.REJECTED,
        RefillStatus.CANCELED,
        RefillStatus.ERROR,
        RefillStatus.FAILED,
    }
)


class Refill(models.Model):
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="refills")
    upstream_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=RefillStatus.choices, default=RefillStatus.REQUESTED
    )
    status_raw = models.CharField(max_length=100, blank=True)
    error_reason = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="refill_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Refill {self.upstream_id or '–'} of order #{self.order_id}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_REFILL_STATUSES


class CancelRequest(models.Model):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="cancel_requests"
    )
    accepted = models.BooleanField(default=False)
    error_reason = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        outcome = "accepted" if self.accepted else self.error_message or "refused"
        return f"Cancel of order #{self.order_id}: {outcome}"
