"""A service's detail: its facts, rate history and (for admins) the markup form."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import Service, ServiceChange
from orders.services.catalogue import catalogue_sync
from tests.factories import make_service

pytestmark = pytest.mark.django_db
LONG_AGO = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)


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


def test_last_seen_moves_with_every_sync_that_saw_the_service(client_as, viewer, sim, provider):
    """A sync that changes nothing still saw the service: "last" is that sync's time."""
    catalogue_sync(provider=provider)
    service = Service.objects.filter(provider=provider).first()
    Service.objects.filter(provider=provider).update(last_seen_at=LONG_AGO)
    catalogue_sync(provider=provider)
    html = client_as(viewer).get(f"/catalogue/{service.pk}/").content.decode()
    assert ", last 1 Jan 2020" not in html
    seen = timezone.localtime(Service.objects.get(pk=service.pk).last_seen_at)
    assert f", last {seen:%-d %b %Y, %H:%M}" in html
