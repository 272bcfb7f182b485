"""Balance: an amount no column can hold is refused, the one stored before is kept."""

import json
from decimal import Decimal

import pytest

from orders.models import JobRun
from orders.services.balances import balance_sync
from orders.tasks import provider_job
from orders.upstream import InvalidAnswer
from tests.engine.numbers import assert_pages_render

pytestmark = pytest.mark.django_db


def balance(amount) -> str:
    return json.dumps({"balance": amount, "currency": "USD"})


@pytest.mark.parametrize("amount", ["1e20", "1e309", "12345678901234567", "NaN", "-1e16"])
def test_a_balance_no_column_can_hold_is_refused_and_the_last_one_kept(
    upstream, answering_provider, superuser_client, amount
):
    upstream.bodies["balance"] = balance("12.5")
    balance_sync(provider=answering_provider)
    upstream.bodies["balance"] = balance(amount)
    with pytest.raises(InvalidAnswer, match="balance") as refused:
        balance_sync(provider=answering_provider)
    assert amount in refused.value.excerpt
    answering_provider.refresh_from_db()
    assert answering_provider.balance == Decimal("12.5")
    assert_pages_render(superuser_client)


def test_the_balance_job_says_what_the_provider_sent(upstream, answering_provider):
    upstream.bodies["balance"] = balance("1e20")
    with pytest.raises(InvalidAnswer):
        provider_job("sync_balance", answering_provider.pk)
    run = JobRun.objects.get(name=f"sync_balance:{answering_provider.pk}")
    assert not run.last_ok and "balance" in run.last_summary


def test_a_balance_in_credit_is_kept_as_some_panels_allow_it(upstream, answering_provider):
    upstream.bodies["balance"] = balance("-3.25")
    assert balance_sync(provider=answering_provider).balance == Decimal("-3.25")
