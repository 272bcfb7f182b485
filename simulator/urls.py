"""Mounted at /simulator/ by panel.urls while SIMULATOR_ENABLED (the embedded demo provider)."""

from django.urls import path

from simulator import api, views

app_name = "simulator"

urlpatterns = [
    path("api/v2", api.endpoint, name="api"),
    path("api/v2/", api.endpoint),
    path("control", views.control_endpoint, name="control"),
    path("control/log", views.control_log, name="control-log"),
    path("money", views.control_money, name="control-money"),
    path("", views.control_page, name="control-page"),
]
