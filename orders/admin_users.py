"""Accounts in the Django admin. The admin role manages viewers and operators; only a
superuser grants staff or superuser status, single permissions, or a role whose members
manage accounts, and only a superuser edits a superuser or a peer who manages accounts.
Every change of a user's roles goes to the audit trail."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from orders.services.audit import audit_record
from panel.admin_lookups import SecretSafeAdmin

User = get_user_model()
SUPERUSER_ONLY = ("is_superuser", "is_staff", "user_permissions")


def privileged_groups() -> set[int]:
    """Roles that manage accounts (they hold a permission on users or groups)."""
    rows = Group.objects.filter(permissions__content_type__app_label="auth")
    return set(rows.values_list("pk", flat=True))


def user_roles(user) -> dict[str, str]:
    return {
        "superuser": "yes" if user.is_superuser else "no",
        "staff": "yes" if user.is_staff else "no",
        "groups": ", ".join(sorted(user.groups.values_list("name", flat=True))) or "none",
        "permissions": ", ".join(sorted(user.user_permissions.values_list("codename", flat=True)))
        or "none",
    }


def _manages_accounts(user) -> bool:
    return user.is_superuser or bool(
        privileged_groups() & set(user.groups.values_list("pk", flat=True))
    )


def _out_of_reach(request, obj) -> bool:
    """A superuser or another account manager, seen by someone who is not a superuser: their
    password or roles changed would hand over powers the editor does not hold."""
    if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
        return False
    return _manages_accounts(obj)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin, SecretSafeAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, *SUPERUSER_ONLY)

    def has_change_permission(self, request, obj=None):
        if _out_of_reach(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _out_of_reach(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser or "groups" not in form.base_fields:
            return form
        before = set(obj.groups.values_list("pk", flat=True)) if obj else set()
        privileged = privileged_groups()

        class RoleGuardedForm(form):  # type: ignore[valid-type,misc]
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                if (before ^ {group.pk for group in groups}) & privileged:
                    raise ValidationError(
                        "Only a superuser may grant or remove a role that manages accounts."
                    )
                return groups

        return RoleGuardedForm

    def save_model(self, request, obj, form, change):
        form.roles_before = user_roles(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, after = form.roles_before, user_roles(form.instance)
        target = f"user {form.instance.get_username()}"
        if before is None:
            audit_record(actor=request.user, action="user added", target=target, **after)
            return
        changed = {k: f"{before[k]} → {after[k]}" for k in after if before[k] != after[k]}
        if changed:
            audit_record(actor=request.user, action="roles changed", target=target, **changed)
