"""Each role against each action: viewer reads, operator places/refills/cancels/resolves,
admin also manages providers, prices and sees the audit trail."""

import pytest
from django.urls import reverse

from tests.engine.helpers import placed

pytestmark = pytest.mark.django_db

ALL = {"viewer", "operator", "admin_user"}
OPERATE = {"operator", "admin_user"}
ADMIN = {"admin_user"}

# (method, url name, which object's pk it takes, roles allowed)
MATRIX = [
    ("get", "home", None, ALL),
    ("get", "order_list", None, ALL),
    ("get", "order_detail", "order", ALL),
    ("get", "order_export", None, ALL),
    ("get", "refill_list", None, ALL),
    ("get", "service_list", None, ALL),
    ("get", "provider_list", None, ALL),
    ("get", "system", None, ALL),
    ("get", "reports", None, ALL),
    ("get", "reports_export", None, ALL),
    ("get", "order_new", None, OPERATE),
    ("post", "order_new", None, OPERATE),
    ("get", "mass_order", None, OPERATE),
    ("post", "mass_order", None, OPERATE),
    ("post", "order_refill", "order", OPERATE),
    ("post", "order_cancel", "order", OPERATE),
    ("post", "order_bulk_refill", None, OPERATE),
    ("post", "order_bulk_cancel", None, OPERATE),
    ("post", "order_confirm_upstream", "order", OPERATE),
    ("post", "order_confirm_not_placed", "order", OPERATE),
    ("post", "service_toggle", "service", ADMIN),
    ("post", "service_markup", "service", ADMIN),
    ("get", "provider_new", None, ADMIN),
    ("post", "provider_new", None, ADMIN),
    ("get", "provider_edit", "provider", ADMIN),
    ("post", "provider_edit", "provider", ADMIN),
    ("post", "provider_test", "provider", ADMIN),
    ("post", "provider_sync", "provider", ADMIN),
    ("get", "audit_log", None, ADMIN),
    ("get", "simulator:control-page", None, ALL),
    ("post", "simulator:control-page", None, ADMIN),
]


@pytest.fixture
def objects(sim, provider, default_service):
    [order] = placed(default_service, 1)
    return {"order": order, "service": default_service, "provider": provider}


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize(("method", "name", "needs", "allowed"), MATRIX)
def test_each_role_may_do_exactly_what_its_role_allows(
    request, client_as, objects, role, method, name, needs, allowed
):
    client = client_as(request.getfixturevalue(role))
    url = reverse(name, args=[objects[needs].pk] if needs else [])
    response = getattr(client, method)(url)
    if role in allowed:
        assert response.status_code != 403, f"{role} refused {method.upper()} {url}"
        assert response.status_code < 500
    else:
        assert response.status_code == 403, f"{role} allowed {method.upper()} {url}"
