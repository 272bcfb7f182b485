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
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"nav_items": items}
