"""The three staff roles, as Django groups with permissions (kept in step by a migration)."""

VIEW = [
    "orders.view_order",
    "orders.view_orderevent",
    "orders.view_service",
    "orders.view_provider",
    "orders.view_refill",
    "orders.view_cancelrequest",
    "orders.view_apicall",
    "orders.view_jobrun",
    "customers.view_customer",
    "customers.view_accountentry",
    "customers.view_offer",
    "customers.view_pricegroup",
]
OPERATE = [
    *VIEW,
    "orders.place_order",
    "orders.refill_order",
    "orders.cancel_order",
    "orders.resolve_order",
]
ADMINISTER = [
    *OPERATE,
    "orders.add_provider",
    "orders.change_provider",
    "orders.reconcile_provider",
    "orders.change_service",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "orders.view_auditentry",
    "customers.add_customer",
    "customers.change_customer",
    "customers.fund_customer",
    "customers.add_apikey",
    "customers.change_apikey",
    "customers.add_offer",
    "customers.change_offer",
    "customers.add_pricegroup",
    "customers.change_pricegroup",
]
ROLES = {"viewer": VIEW, "operator": OPERATE, "admin": ADMINISTER}


def sync_roles(apps=None) -> None:
    """Create the groups and give each exactly its permissions."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=code)
            for app, code in (p.split(".") for p in codenames)
        ]
        group.permissions.set(perms)
