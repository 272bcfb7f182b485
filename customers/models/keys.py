import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from customers.models.customer import Customer


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A customer's API key. Only its SHA-256 is kept (keys are 32 random bytes, so a fast
    hash is enough); the prefix lets staff tell keys apart without seeing them."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="keys")
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The API's request limit, a token bucket shared by every web process
    # (customers/services/limits.py): the tokens left when last taken, and when. NULL: full.
    bucket_tokens = models.FloatField(null=True, blank=True, editable=False)
    bucket_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["customer"], condition=Q(revoked_at__isnull=True), name="apikey_live_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
