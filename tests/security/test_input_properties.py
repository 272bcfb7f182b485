"""Property tests: whatever a person types into an order form or a mass order, the answer is
a clear message, never a crash."""

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.forms.placement import OrderForm
from orders.models import Service
from orders.services.mass_order import mass_order_check, mass_order_parse
from orders.services.placement import OrderInvalid, order_place
from orders.upstream import ORDER_TYPES, order_type_for, validate_order
from tests.factories import make_provider

TYPE_NAMES = [spec.name for spec in ORDER_TYPES]
FIELD_NAMES = sorted({f.name for spec in ORDER_TYPES for f in spec.fields})
odd_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["-1", "0", "1e309", "NaN", "99999999999999999999", "1.5", " 12 ", "①②"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
form_data = st.dictionaries(st.sampled_from(FIELD_NAMES), odd_text, max_size=len(FIELD_NAMES))
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def is_messages(errors) -> bool:
    return all(
        isinstance(k, str) and v and all(isinstance(m, str) and m for m in v)
        for k, v in errors.items()
    )


@given(type_name=st.sampled_from(TYPE_NAMES), params=form_data)
@settings(max_examples=300, deadline=None)
def test_validation_of_any_parameters_answers_readable_messages(type_name, params):
    result = validate_order(type_name, params, min_qty=10, max_qty=5000)
    assert is_messages(result.errors)
    if result.ok:
        assert result.params


@pytest.fixture
def services(db):
    provider = make_provider(balance=Decimal("100"))
    now = timezone.now()
    return {
        name: Service.objects.create(
            provider=provider,
            upstream_id=i,
            name=f"{name} service",
            type=name,
            rate=Decimal("1.5"),
            min_quantity=10,
            max_quantity=5000,
            first_seen_at=now,
            last_seen_at=now,
        )
        for i, name in enumerate(TYPE_NAMES, start=1)
    }


@pytest.mark.django_db
@given(type_name=st.sampled_from(TYPE_NAMES), params=form_data)
@SLOW
def test_every_order_form_answers_field_errors_or_places(services, type_name, params):
    service = services[type_name]
    form = OrderForm(
        params | {"service": service.pk}, service=service, spec=order_type_for(type_name)
    )
    if not form.is_valid():
        assert is_messages(form.errors)
        return
    try:
        order_place(service=service, params=form.params())
    except OrderInvalid as refused:
        assert is_messages(refused.errors)


@given(text=st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_the_mass_order_parser_reads_any_text(text):
    for line in mass_order_parse(text):
        assert all(isinstance(e, str) and e for e in line.errors)


separators = st.sampled_from(["|", " | ", "||", "=", ";", "\\", "\n", "#"])
mass_text = st.lists(st.one_of(odd_text, separators), max_size=40).map("".join)


@pytest.mark.django_db
@given(text=mass_text)
@SLOW
def test_a_mass_order_preview_of_any_text_explains_each_line(services, text):
    preview = mass_order_check(text)
    for check in preview.checks:
        assert check.ok or all(isinstance(e, str) and e for e in check.errors)
