from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.fields import money_field
from orders.models.provider import Provider
from orders.models.service import Service


class LocalState(models.TextChoices):
    """Where the order stands on our side, before and after the upstream `add`."""

    QUEUED = "queued", _("Queued")
    SUBMITTING = "submitting", _("Submitting")
    PLACED = "placed", _("Placed")
    REJECTED = "rejected", _("Rejected")
    UNVERIFIED = "unverified", _("Unverified")
    NOT_PLACED = "not_placed", _("Not placed")


UNSETTLED_STATES = [LocalState.QUEUED, LocalState.SUBMITTING, LocalState.UNVERIFIED]


class Status(models.TextChoices):
    """The upstream status, normalised (the raw text is kept beside it)."""

    PENDING = "pending", _("Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    PROCESSING = "processing", _("Processing")
    COMPLETED = "completed", _("Completed")
    PARTIAL = "partial", _("Partial")
    CANCELED = "canceled", _("Canceled")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown")


# No work done yet as far as the provider says (no status yet, or pending).
NOT_STARTED = frozenset({"", Status.PENDING})
FINAL_STATUSES = frozenset(
    {Status.COMPLETED, Status.PARTIAL, Status.CANCELED, Status.REFUNDED, Status.FAILED}
)


class Order(models.Model):
    # Not indexed alone: every index below that matters starts with it, and each index an order
    # carries is one more write per status update (two per order per polling round).
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orders")
    order_type = models.CharField(max_length=100)
    link = models.CharField(max_length=2000, blank=True)
    quantity = models.BigIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, help_text="Every parameter sent with `add`.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Whom the order is sold to (through our API, or by staff for them); charged to their
    # account. Indexed below, only where set.
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    # NULL, not "": orders without a key stay out of its unique index.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    state = models.CharField(max_length=12, choices=LocalState.choices, default=LocalState.QUEUED)
    rejection_reason = models.CharField(max_length=32, blank=True)
    rejection_message = models.TextField(blank=True)
    submit_attempts = models.PositiveIntegerField(default=0)
    submit_after = models.DateTimeField(null=True, blank=True)
    submitting_since = models.DateTimeField(null=True, blank=True)

    upstream_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status_raw = models.CharField(max_length=100, blank=True)
    charge = money_field(null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    start_count = models.BigIntegerField(null=True, blank=True)
    remains = models.BigIntegerField(null=True, blank=True)
    upstream_extra = models.JSONField(default=dict, blank=True)
    # "Incorrect order ID" answers in a row; marked missing only after several.
    missing_count = models.PositiveIntegerField(default=0)
    missing_upstream = models.BooleanField(default=False)

    # Estimates while the order runs (a subscription: what it was charged so far); its true
    # figures once settled (see services/settlement.py).
    cost = money_field(null=True, blank=True)
    price = money_field(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # The service's rate and selling rate per 1000 when it was placed: a subscription's
    # price per post and its markup, whatever the catalogue says later.
    rate = money_field(null=True, blank=True)
    selling_rate = money_field(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # When the status is next asked for; NULL once nothing can change.
    next_check_at = models.DateTimeField(null=True, blank=True)
    # A polling round's hold on a due order, until its answer is written: a crashed worker's
    # orders come due again when it runs out. Not indexed, so taking it rewrites no index
    # entry (a heap-only update on PostgreSQL, in the room the table's fillfactor leaves).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    check_interval = models.PositiveIntegerField(default=0, help_text="seconds")

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("place_order", "Can place orders"),
            ("refill_order", "Can request refills"),
            ("cancel_order", "Can cancel orders"),
            ("resolve_order", "Can resolve unverified orders"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "upstream_id"],
                condition=Q(upstream_id__isnull=False),
                name="order_unique_upstream_id",
            ),
            # Partial: most orders have no key, and an order outside the index costs nothing
            # when it is written.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="order_unique_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["provider", "next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="order_due_idx",
            ),
            models.Index(fields=["-created_at", "-id"], name="order_recent_idx"),
            # The states the sweepers and the home page look for; placed and rejected orders,
            # nearly all of them, stay out of it.
            models.Index(
                fields=["state"],
                condition=Q(state__in=UNSETTLED_STATES),
                name="order_pending_state_idx",
            ),
            # With the id, in the list's own order: a status tab's page is read straight off
            # it (without the id, the planner walked the newest-first index past every open
            # order to reach the first completed one).
            models.Index(fields=["status", "-created_at", "-id"], name="order_status_idx"),
            # Orders never placed, newest first: the Canceled and Problems tabs' pages and
            # counts. Rows enter it once, when refused; the polling path never writes it.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(state__in=[LocalState.REJECTED, LocalState.NOT_PLACED]),
                name="order_unplaced_idx",
            ),
            # The orders list filtered by provider (and status), newest first: without them
            # the newest-first index is walked past every other provider's orders.
            models.Index(
                fields=["provider", "-created_at", "-id"], name="order_provider_recent_idx"
            ),
            models.Index(
                fields=["provider", "status", "-created_at", "-id"],
                name="order_provider_status_idx",
            ),
            # A customer's orders, newest first (their page, the API's ownership checks and
            # the orders list filtered by customer); staff orders stay out of it.
            models.Index(
                fields=["customer", "-created_at", "-id"],
                condition=Q(customer__isnull=False),
                name="order_customer_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.order_type} {self.link or ''}".strip()

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def delivered(self) -> int | None:
        """Units delivered, once the provider has started: a pending order's "remains" is
        often 0 before any work, which is no delivery."""
        if self.quantity is None or self.remains is None or self.status in NOT_STARTED:
            return None
        return max(0, min(self.quantity, self.quantity - self.remains))


class EventKind(models.TextChoices):
    QUEUED = "queued", _("Queued")
    PLACED = "placed", _("Placed")
    REJECTED = "rejected", _("Rejected")
    UNVERIFIED = "unverified", _("Unverified")
    RETRY = "retry", _("Retry scheduled")
    STATUS = "status", _("Status changed")
    REFILL = "refill", _("Refill")
    CANCEL = "cancel", _("Cancel")
    STAFF = "staff", _("Staff action")
    ANOMALY = "anomaly", _("Anomaly")
    ERROR = "error", _("Error")


class OrderEvent(models.Model):
    """The order's timeline: what happened, with before/after where it applies."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "-at"], name="event_order_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"
