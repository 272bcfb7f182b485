"""The simulated provider's own truth: accounts, catalogue, orders, refills, request log, config.

Nothing here is shared with the dashboard's tables. Times called `*_at` on orders and refills
are simulated epoch seconds (see `SimConfig.now`), so tests can jump the clock and a demo can
run faster than real time.
"""

import time
from decimal import Decimal

from django.db import models
from django.utils import timezone

ZERO = Decimal("0")


class SimAccount(models.Model):
    api_key = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=64, blank=True, db_index=True)
    balance = models.DecimalField(max_digits=20, decimal_places=5, default=ZERO)
    currency = models.CharField(max_length=3, default="USD")
    created_at = models.DateTimeField(default=timezone.now)
    # A suspended account's key is known but every call is refused, as panels do.
    suspended = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name or 'account'} ({self.api_key[:6]}…)"


class SimService(models.Model):
    service_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=64)
    category = models.CharField(max_length=128)
    rate = models.DecimalField(max_digits=14, decimal_places=5)
    min_quantity = models.PositiveIntegerField()
    max_quantity = models.PositiveIntegerField()
    refill = models.BooleanField(default=False)
    cancel = models.BooleanField(default=False)
    dripfeed = models.BooleanField(default=False)
    refill_days = models.PositiveSmallIntegerField(default=30)
    # How fast delivery runs, in units per simulated hour.
    units_per_hour = models.PositiveIntegerField(default=1000)
    desc = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service_id"]

    def __str__(self) -> str:
        return f"{self.service_id} {self.name}"


class OrderKind(models.TextChoices):
    ORDER = "order"
    SUBSCRIPTION = "subscription"
    CHILD = "child"  # an order a subscription placed for one post


class Status(models.TextChoices):
    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    PARTIAL = "Partial"
    CANCELED = "Canceled"
    # Subscriptions
    ACTIVE = "Active"
    PAUSED = "Paused"
    EXPIRED = "Expired"


FINAL = frozenset({Status.COMPLETED, Status.PARTIAL, Status.CANCELED, Status.EXPIRED})


class SimOrder(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="orders")
    service = models.ForeignKey(SimService, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=16, choices=OrderKind.choices, default=OrderKind.ORDER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    post_index = models.PositiveIntegerField(null=True, blank=True)
    link = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField(default=0)  # per run
    runs = models.PositiveSmallIntegerField(default=1)
    interval_minutes = models.PositiveIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)  # the type's other fields, as sent
    price = models.DecimalField(max_digits=20, decimal_places=5, default=ZERO)  # debited
    charge = models.DecimalField(max_digits=20, decimal_places=5, default=ZERO)  # after refunds
    status = models.CharField(max_length=20, default=Status.PENDING)  # as last observed
    remains = models.IntegerField(default=0)  # kept once final
    start_count = models.PositiveIntegerField(default=0)
    # The plan, fixed when the order is placed (or cancelled): simulated epoch seconds.
    created_at = models.FloatField()
    starts_at = models.FloatField()
    ends_at = models.FloatField()
    run_seconds = models.FloatField(default=60.0)  # how long one run takes to deliver
    outcome = models.CharField(max_length=20, default=Status.COMPLETED)
    final_delivered = models.IntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["account", "service", "link"]),
            models.Index(fields=["account", "status"]),
        ]
        constraints = [
            # Two processes looking at a subscription at once must not buy a post twice.
            models.UniqueConstraint(
                fields=["parent", "post_index"],
                condition=models.Q(parent__isnull=False),
                name="sim_one_child_per_post",
            )
        ]

    def __str__(self) -> str:
        return f"order {self.pk} ({self.status})"

    @property
    def total(self) -> int:
        """Units ordered over all runs."""
        return self.quantity * self.runs


class SimRefill(models.Model):
    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="refills")
    order = models.ForeignKey(SimOrder, on_delete=models.CASCADE, related_name="refills")
    created_at = models.FloatField()
    starts_at = models.FloatField()
    ends_at = models.FloatField()
    outcome = models.CharField(max_length=20, default="Completed")
    status = models.CharField(max_length=20, default="Pending")

    def __str__(self) -> str:
        return f"refill {self.pk} of order {self.order_id} ({self.status})"


class SimRequest(models.Model):
    """One API call as the simulator saw it, faulted or not."""

    class Outcome(models.TextChoices):
        OK = "ok"
        ERROR = "error"
        FAULT = "fault"

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, blank=True, db_index=True)
    account = models.ForeignKey(SimAccount, null=True, blank=True, on_delete=models.SET_NULL)
    ids_count = models.PositiveIntegerField(default=0)
    ids = models.TextField(blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    detail = models.CharField(max_length=255, blank=True)  # error text or fault name
    http_status = models.PositiveSmallIntegerField(default=200)
    duration_ms = models.FloatField(default=0)
    # For `add`: what the client asked for and the order it got, to prove no double buys.
    order_id = models.BigIntegerField(null=True, blank=True)
    service_id = models.PositiveIntegerField(null=True, blank=True)
    link = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.action} {self.outcome} {self.detail}".strip()


class SimConfig(models.Model):
    """The one row of run-time settings, in the database so every server process sees it."""

    speed = models.FloatField(default=60.0)  # simulated seconds per real second
    anchor_real = models.FloatField(default=time.time)
    anchor_sim = models.FloatField(default=time.time)
    faults = models.JSONField(default=dict, blank=True)
    dialect = models.JSONField(default=dict, blank=True)
    behaviour = models.JSONField(default=dict, blank=True)
    fault_counter = models.BigIntegerField(default=0)
    faults_fired = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "simulator configuration"

    def __str__(self) -> str:
        return "simulator configuration"

    @classmethod
    def load(cls) -> "SimConfig":
        config, _ = cls.objects.get_or_create(pk=1)
        return config

    def now(self) -> float:
        """Simulated epoch seconds: the anchor plus real time elapsed since, times the speed."""
        return self.anchor_sim + (time.time() - self.anchor_real) * self.speed


class SimMove(models.TextChoices):
    OPENING = "opening"  # the balance an account was created with
    TOP_UP = "top_up"  # money paid in (control page or API)
    SET = "set"  # the control set the balance outright: the difference
    CHARGE = "charge"  # an order's price, taken at `add` (or a subscription's post)
    REFUND = "refund"  # the undelivered part, paid back when an order ends
    FEE = "fee"  # taken with no order: what a provider's hidden fee looks like


class SimLedgerEntry(models.Model):
    """Every change of an account's balance, appended where the balance moves, so that an
    account's balance is always the sum of its entries: the provider's truth for tests."""

    account = models.ForeignKey(SimAccount, on_delete=models.CASCADE, related_name="ledger")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=12, choices=SimMove.choices)
    amount = models.DecimalField(max_digits=20, decimal_places=5)  # signed: + in, - out
    order = models.ForeignKey(
        SimOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    memo = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "sim ledger entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
