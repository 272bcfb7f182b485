import os

from celery import Celery
from celery.signals import setup_logging

from panel import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panel.settings")

broker.register()  # the embedded default's `embedded://` (before any connection is made)
app = Celery("panel")
# Every CELERY_* Django setting configures the app; see panel/settings.py.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A Redis that stops answering without closing its connections would hold every publish, and
# so the request that placed an order, forever: each socket wait is bounded instead (the
# order stays queued and the sweeper sends it later). A worker's BRPOP is answered within a
# second, so its own reads never come near these.
BROKER_SOCKET_TIMEOUTS = {"socket_connect_timeout": 2.0, "socket_timeout": 3.0}


@app.on_after_configure.connect
def _bound_broker_waits(sender: Celery, **kwargs) -> None:
    options = sender.conf.broker_transport_options or {}
    sender.conf.broker_transport_options = BROKER_SOCKET_TIMEOUTS | options


@setup_logging.connect
def _keep_django_logging(**kwargs) -> None:
    """Django's LOGGING (panel/settings.py) is the one configuration: without a receiver here,
    a worker would reset the root logger's handlers and level to its own --loglevel."""
