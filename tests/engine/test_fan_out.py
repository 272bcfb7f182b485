"""for_each_provider: the periodic job that fans a job out to the providers it concerns."""

import pytest
from django.utils import timezone

from orders import tasks
from orders.models import JobRun
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(tasks.provider_job, "delay", lambda *args: calls.append(args))
    return calls


def test_a_tick_with_nothing_due_says_so_rather_than_no_providers(sent):
    """Most ticks of a sync find every provider fresh: "0 providers" read as none set up."""
    make_provider(catalogue_synced_at=timezone.now())
    tasks.for_each_provider("sync_catalogue")
    assert JobRun.objects.get(name="sync_catalogue").last_summary == "0 of 1 provider due"
    assert sent == []


def test_a_due_provider_is_sent_its_job(sent):
    provider = make_provider(catalogue_synced_at=None)
    tasks.for_each_provider("sync_catalogue")
    assert JobRun.objects.get(name="sync_catalogue").last_summary == "1 of 1 provider due"
    assert sent == [("sync_catalogue", provider.pk)]
