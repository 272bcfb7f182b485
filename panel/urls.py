from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from customers.api.view import endpoint as api_v2
from panel.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v2", api_v2, name="api-v2"),  # our API for customers (customers/api/)
    path("api/v2/", api_v2),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("orders.urls")),
    path("", include("customers.urls")),
]
if settings.SIMULATOR_ENABLED:
    urlpatterns.insert(0, path("simulator/", include("simulator.urls")))
