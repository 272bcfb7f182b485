from django.db import models
from django.utils.translation import gettext_lazy as _


def money_field(**kwargs) -> models.DecimalField:
    # Upstream money has up to 5 decimals (sometimes more): keep 8, never round through float.
    return models.DecimalField(max_digits=24, decimal_places=8, **kwargs)


class Markup(models.TextChoices):
    PERCENT = "percent", _("Percent")
    FIXED = "fixed", _("Fixed per 1000")
