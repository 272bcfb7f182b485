from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from orders.upstream.errors import UNSENT_FAILURES

# A call logged as pending this recently may still be on its way.
CALL_IN_FLIGHT = timedelta(minutes=2)


class ApiCall(models.Model):
    """One HTTP call to a provider (the key is never stored); purged after a few days."""

    provider = models.ForeignKey(
        "orders.Provider", on_delete=models.CASCADE, related_name="api_calls"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20)
    ids = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=12)
    reason = models.CharField(max_length=100, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["provider", "-at"], name="apicall_provider_idx")]

    def __str__(self) -> str:
        return f"{self.action} → {self.outcome}"

    @property
    def note(self) -> str:
        """What the outcome means where the word alone could mislead."""
        if self.outcome == "pending":
            if self.at and timezone.now() - self.at < CALL_IN_FLIGHT:
                return gettext("in flight")
            return gettext("no answer recorded (cut short)")
        if self.outcome == "key_refused":
            return gettext("the provider refused the key or account")
        if self.reason in UNSENT_FAILURES:
            return gettext("not sent")
        return ""


class JobRun(models.Model):
    """The last run of each periodic job; its lease keeps two runs from overlapping."""

    name = models.CharField(max_length=100, unique=True)
    running_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
