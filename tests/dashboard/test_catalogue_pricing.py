"""The markup rules themselves (services/catalogue_admin.py), without a request."""

from decimal import Decimal

import pytest

from orders.models import AuditEntry, Markup
from orders.services.catalogue_admin import (
    MarkupInvalid,
    markup_clean,
    service_enable,
    service_markup_set,
)
from tests.factories import make_service


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("", "anything", ("", None)),
        ("percent", "0", ("percent", Decimal(0))),
        ("percent", " 25 ", ("percent", Decimal(25))),
        ("percent", "1000", ("percent", Decimal(1000))),
        ("fixed", "0,5", ("fixed", Decimal("0.5"))),
        ("fixed", Decimal("1.00000"), ("fixed", Decimal("1.00000"))),
    ],
)
def test_good_markups_come_back_as_decimals(kind, value, expected):
    assert markup_clean(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("percent", "-0.01", "markup_value"),
        ("percent", "Infinity", "markup_value"),
        ("percent", "1e400", "markup_value"),
        ("fixed", "1.123456", "markup_value"),
        ("bogus", "1", "markup_kind"),
    ],
)
def test_bad_markups_name_the_field_to_fix(kind, value, field):
    with pytest.raises(MarkupInvalid) as caught:
        markup_clean(kind, value)
    assert list(caught.value.errors) == [field]


@pytest.mark.django_db
def test_a_saved_markup_changes_only_that_service(caplog):
    service, other = make_service(rate=Decimal(1)), make_service(rate=Decimal(1))
    service_markup_set(service=service, kind=Markup.FIXED, value="0.25")
    service.refresh_from_db()
    other.refresh_from_db()
    assert service.selling_rate() == Decimal("1.25")
    assert other.markup_kind == ""


@pytest.mark.django_db
def test_disabling_keeps_the_markup():
    service = make_service(markup_kind=Markup.PERCENT, markup_value=Decimal(10))
    service_enable(service=service, enabled=False)
    service.refresh_from_db()
    assert (service.enabled, service.markup_value) == (False, Decimal(10))


@pytest.mark.django_db
def test_markups_and_switches_go_to_the_audit_trail(admin_user):
    service = make_service(upstream_id=77, name="Reels views")
    service_markup_set(service=service, kind=Markup.PERCENT, value="15", user=admin_user)
    service_enable(service=service, enabled=False, user=admin_user)
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "target", "actor"))
    target = f"service 77 of {service.provider.name}: Reels views"
    assert entries == [
        ("markup set", target, admin_user.pk),
        ("service disabled", target, admin_user.pk),
    ]
    assert AuditEntry.objects.order_by("pk").first().details == {"markup": "percent 15"}
