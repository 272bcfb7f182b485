import pytest
from django.core.management import CommandError, call_command

from orders.models import JobRun, Service
from simulator import log
from tests.engine.helpers import make_all_due, placed

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sync_catalogue_prints_what_it_did_and_records_the_run(provider):
    out = run("sync_catalogue", "--provider", provider.name)
    assert f"{provider.name}: {Service.objects.count()} new, 0 changed" in out
    assert JobRun.objects.get(name=f"sync_catalogue:{provider.pk}").last_ok


def test_sync_balances_prints_the_balance(provider):
    out = run("sync_balances", "--provider", str(provider.pk))
    assert "balance 5,000.00 USD" in out  # the money format every page uses


def test_poll_orders_polls_due_orders_in_batches(provider, default_service):
    placed(default_service, 120)
    make_all_due()
    out = run("poll_orders")
    assert "120 orders checked in 2 calls" in out
    assert sorted(log.batch_sizes("status")) == [20, 100]


def test_poll_refills_with_nothing_open_says_so(provider):
    assert "0 orders checked in 0 calls" in run("poll_refills")


def test_an_unknown_provider_is_a_clear_error(provider):
    with pytest.raises(CommandError, match="No provider 'nope'"):
        run("sync_catalogue", "--provider", "nope")


def test_a_failing_provider_fails_the_command_with_the_reason(sim, provider):
    sim.set_faults(error_5xx_share=1)
    with pytest.raises(CommandError, match="Some providers failed"):
        run("sync_balances")


def test_a_refused_balance_sync_is_a_failure_in_the_job_log(provider):
    provider.api_key = "not-the-right-key"
    provider.save()
    with pytest.raises(CommandError):
        run("sync_balances", "--provider", str(provider.pk))
    job = JobRun.objects.get(name=f"sync_balance:{provider.pk}")
    assert job.last_ok is False
    assert "Invalid API key" in job.last_summary
