"""Accounts in the Django admin: the admin role manages viewers and operators, and cannot
raise anyone, itself included, above that; every change of roles is audited."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from orders.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()


def form_of(user, **changes) -> dict:
    """The user change form as the admin posts it back, with `changes` applied."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def role(name: str) -> int:
    return Group.objects.get(name=name).pk


def test_the_admin_role_cannot_make_itself_superuser_or_staff_holder_of_any_permission(
    client_as, admin_user
):
    everything = list(Permission.objects.values_list("pk", flat=True))
    client_as(admin_user).post(
        f"/admin/auth/user/{admin_user.pk}/change/",
        form_of(admin_user, is_superuser="on", is_staff="on", user_permissions=everything),
    )
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert not admin_user.user_permissions.exists()


def test_the_admin_role_cannot_grant_staff_status(client_as, admin_user):
    clerk = User.objects.create_user("clerk", password="clerk-pw-123456")
    client_as(admin_user).post(
        f"/admin/auth/user/{clerk.pk}/change/", form_of(clerk, is_staff="on")
    )
    clerk.refresh_from_db()
    assert not clerk.is_staff


def test_the_admin_role_gives_operator_but_not_admin_and_each_change_is_audited(
    client_as, viewer, admin_user
):
    client = client_as(admin_user)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    refused = client.post(url, form_of(viewer, groups=[role("admin")]))
    assert "Only a superuser may grant or remove a role that manages accounts." in (
        refused.content.decode()
    )
    client.post(url, form_of(viewer, groups=[role("operator")]))
    assert list(viewer.groups.values_list("name", flat=True)) == ["operator"]
    entry = AuditEntry.objects.get(action="roles changed")
    assert (entry.actor, entry.target) == (admin_user, "user viewer")
    assert entry.details == {"groups": "viewer → operator"}


def test_the_admin_role_cannot_touch_a_superuser_or_another_admin(client_as, admin_user):
    root = User.objects.create_superuser("root", "root@example.com", "root-pw-123456")
    peer = User.objects.create_user("peer", password="peer-pw-123456", is_staff=True)
    peer.groups.add(Group.objects.get(name="admin"))
    client = client_as(admin_user)
    for target in (root, peer):
        assert client.get(f"/admin/auth/user/{target.pk}/password/").status_code == 403
        client.post(
            f"/admin/auth/user/{target.pk}/password/",
            {"password1": "taken-over-987654", "password2": "taken-over-987654"},
        )
        target.refresh_from_db()
        assert not target.check_password("taken-over-987654")


def test_a_superuser_grants_the_admin_role_and_it_is_audited(client_as, viewer):
    root = User.objects.create_superuser("root", "root@example.com", "root-pw-123456")
    client_as(root).post(
        f"/admin/auth/user/{viewer.pk}/change/",
        form_of(viewer, groups=[role("admin")], is_staff="on"),
    )
    assert list(viewer.groups.values_list("name", flat=True)) == ["admin"]
    entry = AuditEntry.objects.get(action="roles changed")
    assert entry.details == {"groups": "viewer → admin"}
