from datetime import timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

from orders import crypto
from orders.models.fields import Markup, money_field


class Provider(models.Model):
    name = models.CharField(max_length=100, unique=True)
    api_url = models.URLField(max_length=500)
    api_key_encrypted = models.TextField(editable=False)
    api_key_hint = models.CharField(max_length=32, editable=False, blank=True)
    is_active = models.BooleanField(default=True)

    currency = models.CharField(max_length=8, blank=True)
    balance = money_field(null=True, blank=True)
    balance_checked_at = models.DateTimeField(null=True, blank=True)
    low_balance_threshold = money_field(default=Decimal("10"))
    # A balance check whose drift from the ledger is larger than this is flagged.
    drift_tolerance = money_field(default=Decimal("1.00"))

    rate_limit_per_minute = models.PositiveIntegerField(default=60)
    connect_timeout = models.FloatField(default=5.0)
    read_timeout = models.FloatField(default=30.0)
    call_deadline = models.FloatField(default=60.0)  # a whole call: connect to last byte

    default_markup_kind = models.CharField(
        max_length=8, choices=Markup.choices, default=Markup.PERCENT
    )
    default_markup_value = money_field(default=Decimal("30"))

    # Health: written by the engine after every upstream call.
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)
    # Set when the provider refuses the key or account: automatic calls stop until the key is
    # changed or a connection test succeeds.
    key_refused_at = models.DateTimeField(null=True, blank=True)
    # What the provider asked for (Retry-After): no call, not even a person's, before then.
    retry_after_until = models.DateTimeField(null=True, blank=True, editable=False)
    catalogue_synced_at = models.DateTimeField(null=True, blank=True)
    orders_polled_at = models.DateTimeField(null=True, blank=True)

    # A token bucket shared by every worker (see services/throttle.py).
    throttle_tokens = models.FloatField(null=True, blank=True, editable=False)
    throttle_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The line of orders the limit put back: it ends here (each has its slot before it) and
    # takes the call after another caller's while it waits.
    throttle_line_until = models.DateTimeField(null=True, blank=True, editable=False)
    throttle_owed_to_line = models.BooleanField(default=False, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def api_key(self) -> str:
        return crypto.decrypt(self.api_key_encrypted)

    @api_key.setter
    def api_key(self, plain: str) -> None:
        self.api_key_encrypted = crypto.encrypt(plain)
        self.api_key_hint = crypto.mask(plain)

    @property
    def is_paused(self) -> bool:
        return self.paused_until is not None and self.paused_until > timezone.now()

    @property
    def key_refused(self) -> bool:
        return self.key_refused_at is not None

    @property
    def is_low_on_balance(self) -> bool:
        return self.balance is not None and self.balance < self.low_balance_threshold

    def timeouts(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def pause_for(self, seconds: float) -> None:
        self.paused_until = timezone.now() + timedelta(seconds=seconds)
