from customers.models import ApiKey
from customers.models.keys import key_digest


def key_lookup(raw: str) -> ApiKey | None:
    """The live key of an active customer that `raw` is, with its customer and price group."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiKey.objects.select_related("customer__price_group")
        .filter(digest=key_digest(raw), revoked_at__isnull=True, customer__active=True)
        .first()
    )
