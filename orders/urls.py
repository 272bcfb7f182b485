from orders.views import (
    audit,
    catalogue,
    home,
    orders,
    placement,
    providers,
    refills,
    reports,
    system,
)

urlpatterns = [
    *home.urlpatterns,
    *orders.urlpatterns,
    *placement.urlpatterns,
    *refills.urlpatterns,
    *reports.urlpatterns,
    *catalogue.urlpatterns,
    *providers.urlpatterns,
    *system.urlpatterns,
    *audit.urlpatterns,
]
