import pytest

from orders.models import JobRun
from orders.services.jobs import job_run

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
