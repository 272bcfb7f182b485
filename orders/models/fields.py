from django.db import models


def money_field(**kwargs) -> models.DecimalField:
    # Upstream money has up to 5 decimals (sometimes more): keep 8, never round through float.
    return models.DecimalField(max_digits=24, decimal_places=8, **kwargs)


class Markup(models.TextChoices):
    PERCENT = "percent", "Percent"
    FIXED = "fixed", "Fixed per 1000"
