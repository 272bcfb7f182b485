from orders.views import catalogue, home, orders, placement, providers, refills, system

urlpatterns = [
    *home.urlpatterns,
    *orders.urlpatterns,
    *placement.urlpatterns,
    *refills.urlpatterns,
    *catalogue.urlpatterns,
    *providers.urlpatterns,
    *system.urlpatterns,
]
