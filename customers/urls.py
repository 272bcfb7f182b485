from customers.views import customers, funds, keys, offers

urlpatterns = [
    *offers.urlpatterns,
    *customers.urlpatterns,
    *funds.urlpatterns,
    *keys.urlpatterns,
]
