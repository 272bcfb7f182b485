"""A service's detail: its facts, rate history and (for admins) the markup form."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import ServiceChange
from tests.factories import make_service

pytestmark = pytest.mark.django_db


def change(service, days_ago, old, new):
    return ServiceChange.objects.create(
        service=service,
        seen_at=timezone.now() - timedelta(days=days_ago),
        old_rate=Decimal(old),
        new_rate=Decimal(new),
        old_min=10,
        new_min=10,
        old_max=1000,
        new_max=2000,
    )


def test_the_rate_history_is_listed_newest_first(client_as, viewer):
    service = make_service()
    change(service, 5, "1.00", "1.20")
    change(service, 1, "1.20", "0.95")
    html = client_as(viewer).get(f"/catalogue/{service.pk}/").content.decode()
    assert html.index("1.20 → <strong>0.95</strong>") < html.index("1.00 → <strong>1.20</strong>")
    assert "10–1000 → 10–2000" in html


def test_a_service_with_no_change_says_so(client_as, viewer):
    service = make_service()
    html = client_as(viewer).get(f"/catalogue/{service.pk}/").content.decode()
    assert "No change seen since the service first appeared." in html


def test_htmx_gets_a_table_row_that_expands_under_the_service(client_as, viewer):
    service = make_service()
    response = client_as(viewer).get(f"/catalogue/{service.pk}/", headers={"HX-Request": "true"})
    html = response.content.decode().strip()
    assert html.startswith(f'<tr id="service-{service.pk}-detail" class="detail-row">')
    assert "Save markup" not in html  # a viewer reads, never edits


def test_closing_puts_back_an_empty_placeholder(client_as, viewer):
    service = make_service()
    html = client_as(viewer).get(f"/catalogue/{service.pk}/?collapsed=1").content.decode()
    assert (
        html.strip()
        == f'<tr id="service-{service.pk}-detail" class="detail-placeholder" hidden></tr>'
    )


def test_an_admin_gets_the_markup_form_with_labelled_fields(client_as, admin_user):
    service = make_service()
    html = client_as(admin_user).get(f"/catalogue/{service.pk}/").content.decode()
    assert f'<label for="markup-kind-{service.pk}">Kind</label>' in html
    assert f'<label for="markup-value-{service.pk}">Value</label>' in html


def test_an_unknown_service_is_not_found(client_as, viewer):
    assert client_as(viewer).get("/catalogue/424242/").status_code == 404


def test_a_staff_member_without_a_role_cannot_open_the_catalogue(staff_client):
    assert staff_client.get("/catalogue/").status_code == 403
