import pytest
from django.utils import timezone

from orders.models import JobRun, Provider
from orders.services.jobs import job_run
from orders.tasks import provider_job
from simulator import log

pytestmark = pytest.mark.django_db


def test_it_records_when_a_job_ran_and_what_it_said():
    with job_run("poll_orders:1") as report:
        report.summary = "300 orders checked in 3 calls"
    run = JobRun.objects.get(name="poll_orders:1")
    assert run.last_ok is True
    assert run.last_summary == "300 orders checked in 3 calls"
    assert run.last_finished_at >= run.last_started_at
    assert run.running_until is None


def test_a_second_run_is_skipped_while_the_first_holds_the_lease():
    with job_run("sync") as first, job_run("sync") as second:
        assert first is not None
        assert second is None


def test_a_failed_run_is_recorded_as_failed_and_frees_the_lease():
    with pytest.raises(ValueError), job_run("sync"):
        raise ValueError("provider exploded")
    run = JobRun.objects.get(name="sync")
    assert run.last_ok is False
    assert "provider exploded" in run.last_summary
    with job_run("sync") as again:
        assert again is not None


def test_a_run_that_reports_its_own_failure_is_recorded_as_failed():
    with job_run("sync_balance:1") as report:
        report.summary = "failed: balance: the provider refused (bad_key): Invalid API key"
        report.failed = True
    assert JobRun.objects.get(name="sync_balance:1").last_ok is False


def test_a_refused_balance_sync_run_by_the_worker_is_a_failure(sim, provider):
    provider.api_key = "not-the-right-key"
    provider.save()
    with pytest.raises(Exception, match="Invalid API key"):
        provider_job("sync_balance", provider.pk)
    assert JobRun.objects.get(name=f"sync_balance:{provider.pk}").last_ok is False


def test_a_sync_held_for_a_refused_key_is_not_run_and_not_ok(sim, provider):
    Provider.objects.filter(pk=provider.pk).update(key_refused_at=timezone.now())
    provider_job("sync_catalogue", provider.pk)
    run = JobRun.objects.get(name=f"sync_catalogue:{provider.pk}")
    assert run.last_ok is False
    assert run.last_summary.startswith("not run:") and "refused the API key" in run.last_summary
    assert not log.calls().exists()
