"""The main navigation, shown to each user as far as their role reaches."""

from django.urls import NoReverseMatch, reverse

# (url name, label, permission needed); url names are the pages' contract with the nav.
NAV = [
    ("home", "Home", None),
    ("order_list", "Orders", "orders.view_order"),
    ("order_new", "New order", "orders.place_order"),
    ("mass_order", "Mass order", "orders.place_order"),
    ("service_list", "Catalogue", "orders.view_service"),
    ("refill_list", "Refills", "orders.view_refill"),
    ("customer_list", "Customers", "customers.view_customer"),
    ("offer_list", "Our services", "customers.view_offer"),
    ("reports", "Reports", "orders.view_order"),
    ("provider_list", "Providers", "orders.view_provider"),
    ("system", "System", "orders.view_apicall"),
    ("audit_log", "Audit", "orders.view_auditentry"),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for name, label, perm in NAV:
        if perm and not user.has_perm(perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "current": False})
    _mark_current(items, request.path)
    return {"nav_items": items}


def _mark_current(items: list[dict], path: str) -> None:
    """One item is current: the longest whose URL the path starts with (/orders/new/ is New
    order, not Orders as well); the home page only on itself."""
    found = [item for item in items if path == item["url"] or path.startswith(item["url"])]
    found = [item for item in found if item["url"] != "/" or path == "/"]
    if found:
        max(found, key=lambda item: len(item["url"]))["current"] = True
