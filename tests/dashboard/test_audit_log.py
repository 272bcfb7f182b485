import pytest

from orders.services.audit import audit_record

pytestmark = pytest.mark.django_db


def test_admins_see_who_did_what(client_as, admin_user, operator):
    audit_record(actor=operator, action="provider key changed", target="Provider A")
    page = client_as(admin_user).get("/audit/").content.decode()
    assert "provider key changed" in page
    assert "Provider A" in page
    assert "operator" in page


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_other_roles_cannot_see_the_audit_trail(client_as, request, role):
    user = request.getfixturevalue(role)
    assert client_as(user).get("/audit/").status_code == 403


def test_it_pages_back_by_id_with_a_constant_number_of_queries(
    client_as, admin_user, django_assert_max_num_queries
):
    for i in range(120):
        audit_record(actor=admin_user, action="price changed", target=f"service {i}")
    client = client_as(admin_user)
    with django_assert_max_num_queries(8):
        first = client.get("/audit/").content.decode()
    assert "service 119" in first and "service 69" not in first
    older = first.split("before=")[1].split('"')[0]
    second = client.get(f"/audit/?before={older}").content.decode()
    assert "service 69" in second and "service 119" not in second


def test_refills_and_cancels_are_audited(sim, provider, default_service, operator):
    from orders.models import AuditEntry
    from orders.services.actions import orders_cancel
    from tests.engine.helpers import placed

    [order] = placed(default_service, 1)
    orders_cancel(orders=[order], user=operator)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target) == (
        operator,
        "cancel requested",
        f"order #{order.pk}",
    )


def test_resolving_an_unverified_order_is_on_the_audit_page(client_as, admin_user, operator):
    from orders.models import LocalState
    from tests.factories import make_order, make_service

    order = make_order(make_service(), state=LocalState.UNVERIFIED, upstream_id=None)
    client_as(operator).post(f"/orders/{order.pk}/confirm-not-placed/")
    page = client_as(admin_user).get("/audit/").content.decode()
    assert "unverified not placed" in page
    assert f"order #{order.pk}" in page
    assert "operator" in page
