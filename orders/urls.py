from orders.views import (
    audit,
    catalogue,
    home,
    orders,
    placement,
    providers,
    reconciliation,
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
    *reconciliation.urlpatterns,
    *system.urlpatterns,
    *audit.urlpatterns,
]
