"""A provider's API key is never rendered, logged or kept in plain text anywhere."""

import logging

import pytest
from django.contrib.auth import get_user_model

from orders.models import ApiCall, AuditEntry, OrderEvent, Provider
from orders.services.balances import balance_sync
from orders.services.catalogue import catalogue_sync
from orders.upstream import ProviderError
from tests.engine.helpers import placed
from tests.security.urls import all_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456789")


def pages_with(objects: dict[str, int]) -> list[str]:
    """Every GET page of the dashboard and the admin, with real ids in place of samples."""
    paths = []
    for path, name in all_paths():
        if path.startswith("/simulator/") or name in {"logout", "login"}:
            continue
        for prefix, pk in objects.items():
            if path.startswith(prefix):
                path = path.replace("/1/", f"/{pk}/", 1)
        paths.append(path.replace("/x/", "/"))
    return paths


def test_no_page_shows_the_key(sim, provider, default_service, superuser, client, caplog):
    caplog.set_level(logging.DEBUG)
    [order] = placed(default_service, 1)
    balance_sync(provider=provider)
    client.force_login(superuser)
    objects = {
        "/orders/": order.pk,
        "/catalogue/": default_service.pk,
        "/providers/": provider.pk,
        "/admin/orders/provider/": provider.pk,
    }
    checked = 0
    for path in [*pages_with(objects), f"/admin/orders/provider/{provider.pk}/change/"]:
        response = client.get(path)
        if response.status_code == 200 and not response.streaming:
            checked += 1
            assert provider.api_key not in response.content.decode(), path
    assert checked > 20
    assert provider.api_key not in caplog.text


def test_failures_and_logs_never_carry_the_key(sim, provider, caplog):
    caplog.set_level(logging.DEBUG)
    sim.set_faults(error_5xx_share=1)
    with pytest.raises(ProviderError) as failure:
        catalogue_sync(provider=provider)
    assert provider.api_key not in str(failure.value) + repr(failure.value)
    Provider.objects.filter(pk=provider.pk).update(paused_until=None)
    provider.refresh_from_db()
    sim.set_faults(malformed_share=1)
    with pytest.raises(ProviderError) as failure:
        balance_sync(provider=provider)
    assert provider.api_key not in str(failure.value) + repr(failure.value)
    stored = " ".join(
        str(row)
        for model in (ApiCall, AuditEntry, OrderEvent, Provider)
        for row in model.objects.values_list()
    )
    assert provider.api_key not in stored + caplog.text
