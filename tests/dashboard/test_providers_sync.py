"""'Sync now': the provider's job is queued for a worker, and the page says so."""

import pytest

from orders.services import queue
from tests.factories import make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    tasks: list[tuple] = []

    def send(name, *args):
        tasks.append((name, *args))
        return True

    monkeypatch.setattr(queue, "send", send)
    return tasks


@pytest.mark.parametrize(
    ("job", "message"),
    [("sync_catalogue", "Catalogue sync"), ("sync_balance", "Balance check")],
)
def test_an_admin_queues_a_sync_and_is_told(client_as, admin_user, sent, job, message):
    provider = make_provider(name="North")
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/sync/", {"job": job}, follow=True
    )
    assert sent == [("orders.tasks.provider_job", job, provider.pk)]
    assert response.redirect_chain[-1][0] == "/providers/"
    assert f"{message} for North is queued" in response.content.decode()


def test_it_returns_to_the_page_it_came_from(client_as, admin_user, sent):
    provider = make_provider()
    edit = f"/providers/{provider.pk}/edit/"
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/sync/", {"job": "sync_balance", "next": edit}
    )
    assert response["Location"] == edit


def test_an_unknown_job_is_refused_and_nothing_is_sent(client_as, admin_user, sent):
    provider = make_provider()
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/sync/", {"job": "poll_orders"}, follow=True
    )
    assert sent == []
    assert "Unknown sync." in response.content.decode()


def test_a_broker_that_is_down_is_reported(client_as, admin_user, monkeypatch):
    monkeypatch.setattr(queue, "send", lambda *args: False)
    provider = make_provider()
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/sync/", {"job": "sync_catalogue"}, follow=True
    )
    assert "The task queue cannot be reached" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_sync(client_as, request, role, sent):
    provider = make_provider()
    client = client_as(request.getfixturevalue(role))
    response = client.post(f"/providers/{provider.pk}/sync/", {"job": "sync_balance"})
    assert response.status_code == 403 and sent == []
