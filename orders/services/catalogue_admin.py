"""Staff decisions on the catalogue: which services may be ordered, and at what markup.

A sync never touches these fields (see services/catalogue.SYNCED_FIELDS).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from orders.models import Markup, Service
from orders.services.audit import audit_record

# Beyond these a typo is far likelier than a real price (10x the rate, or +10,000 per 1000).
MAX_PERCENT = Decimal("1000")
MAX_FIXED = Decimal("10000")
DECIMAL_PLACES = 5


@dataclass
class MarkupInvalid(Exception):
    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())


def markup_clean(kind: str, value: object) -> tuple[str, Decimal | None]:
    """The markup to store: ("", None) for the provider default, else (kind, value).

    Raises MarkupInvalid with a message per field that says what to fix.
    """
    if not kind:
        return "", None
    if kind not in Markup.values:
        raise MarkupInvalid({"markup_kind": [_("Choose percent, fixed or the provider default.")]})
    amount = _decimal(value)
    ceiling = MAX_PERCENT if kind == Markup.PERCENT else MAX_FIXED
    problem = ""
    if amount is None:
        problem = _("Enter a number, like 25 or 0.5.")
    elif amount < 0:
        problem = _("A markup cannot be negative.")
    elif amount > ceiling:
        problem = _("At most %(max)s for this kind of markup.") % {"max": ceiling}
    elif -amount.normalize().as_tuple().exponent > DECIMAL_PLACES:  # type: ignore[operator]
        problem = _("At most %(n)s decimal places.") % {"n": DECIMAL_PLACES}
    if problem:
        raise MarkupInvalid({"markup_value": [problem]})
    return kind, amount


def service_markup_set(*, service: Service, kind: str, value: object, user=None) -> Service:
    kind, amount = markup_clean(kind, value)
    Service.objects.filter(pk=service.pk).update(markup_kind=kind, markup_value=amount)
    service.markup_kind, service.markup_value = kind, amount
    audit_record(
        actor=user,
        action="markup set",
        target=_target(service),
        markup=f"{kind} {amount}" if kind else "provider default",
    )
    return service


def service_enable(*, service: Service, enabled: bool, user=None) -> Service:
    """Allow or stop new orders for the service; orders already placed are not affected."""
    Service.objects.filter(pk=service.pk).update(enabled=enabled)
    service.enabled = enabled
    action = "service enabled" if enabled else "service disabled"
    audit_record(actor=user, action=action, target=_target(service))
    return service


def _target(service: Service) -> str:
    return f"service {service.upstream_id} of {service.provider.name}: {service.name}"


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            return None
    return amount if amount.is_finite() else None
