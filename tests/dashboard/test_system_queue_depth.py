"""Queue depth where the broker allows it; never a hang, never a crash."""

import time

import pytest

from orders.selectors.system import queue_depth
from tests.services import redis_url


def test_the_filesystem_broker_counts_the_files_of_the_default_queue(settings, tmp_path):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    for i in range(3):
        (tmp_path / f"{i}_abc{i}.celery.msg").write_bytes(b"{}")
    (tmp_path / "9_other.priority.msg").write_bytes(b"{}")
    depth = queue_depth(broker_url="filesystem://")
    assert (depth.messages, depth.transport) == (3, "filesystem")


def test_the_embedded_broker_counts_its_waiting_messages_not_those_being_written(
    settings, tmp_path
):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    (tmp_path / "1_abc.celery.msg").write_bytes(b"{}")
    (tmp_path / ".incoming").mkdir()
    (tmp_path / ".incoming" / "2_def.celery.msg").write_bytes(b"{")
    depth = queue_depth(broker_url="embedded://localhost/")
    assert (depth.messages, depth.transport) == (1, "embedded")


def test_a_missing_queue_folder_is_reported_not_raised(settings, tmp_path):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "gone")}
    depth = queue_depth(broker_url="filesystem://")
    assert depth.messages is None and "did not answer" in depth.note


def test_a_broker_that_cannot_be_asked_says_not_available():
    depth = queue_depth(broker_url="amqp://guest@localhost//")
    assert depth.messages is None and depth.note == "this broker cannot be asked for its depth"


def test_an_unreachable_redis_gives_up_quickly():
    started = time.monotonic()
    depth = queue_depth(timeout=0.5, broker_url="redis://10.255.255.1:6379/0")
    assert depth.messages is None and depth.transport == "redis"
    assert time.monotonic() - started < 3


@pytest.mark.redis
def test_redis_counts_the_celery_list():
    import redis

    url = redis_url()
    client = redis.Redis.from_url(url)
    client.delete("celery")
    client.rpush("celery", "a", "b")
    try:
        assert queue_depth(broker_url=url).messages == 2
    finally:
        client.delete("celery")
