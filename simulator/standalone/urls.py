"""The standalone simulator (`runsimulator`): the API at /api/v2, like a real panel."""

from django.urls import path

from simulator import api, views

urlpatterns = [
    path("api/v2", api.endpoint, name="api"),
    path("api/v2/", api.endpoint),
    path("control", views.control_endpoint, name="control"),
    path("control/log", views.control_log, name="control-log"),
]
