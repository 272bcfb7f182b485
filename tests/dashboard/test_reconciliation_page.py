"""The reconciliation page: checks, the period of a flagged one, and the admin's money forms."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import AuditEntry, BalanceCheck, LedgerEntry, Movement
from orders.services.ledger import ledger_post, order_posting
from orders.services.reconciliation import balance_check_record
from tests.factories import make_order, make_provider, make_service

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def provider():
    return make_provider(name="Fast panel", currency="USD")


def check(provider, balance) -> BalanceCheck:
    return balance_check_record(
        provider=provider, balance=D(balance), currency="USD", read_from=timezone.now()
    )


@pytest.fixture
def drift(provider) -> BalanceCheck:
    """100 USD, then an order of 10 booked, then 87.50 read: 2.50 went somewhere."""
    check(provider, "100")
    order = make_order(make_service(provider), submitted_at=timezone.now())
    ledger_post([order_posting(order, Movement.SPEND, D(10), "USD")])
    return check(provider, "87.50")


def page(client, provider, **params) -> str:
    response = client.get(f"/providers/{provider.pk}/reconciliation/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_role_sees_the_checks_and_the_flagged_period(client_as, viewer, provider, drift):
    html = page(client_as(viewer), provider)
    assert "Reconciliation: Fast panel" in html
    assert "87.50 USD" in html and "90.00 USD" in html
    assert "-2.50 USD" in html
    assert "1 ledger row in this period" in html
    assert "1 order placed or settled in this period" in html
    assert "Acknowledge drift" not in html  # a viewer only looks
    assert "Record top-up" not in html


def test_an_admin_acknowledges_a_drift_with_a_note(client_as, admin_user, provider, drift):
    client = client_as(admin_user)
    url = f"/providers/{provider.pk}/reconciliation/checks/{drift.pk}/acknowledge/"
    response = client.post(url, {"note": "monthly API fee"}, follow=True)
    drift.refresh_from_db()
    assert (drift.acknowledged_by, drift.note) == (admin_user, "monthly API fee")
    html = response.content.decode()
    assert "Drift acknowledged" in html
    assert "monthly API fee" in html
    assert AuditEntry.objects.filter(action="drift acknowledged").count() == 1


def test_an_acknowledgement_needs_a_note(client_as, admin_user, provider, drift):
    url = f"/providers/{provider.pk}/reconciliation/checks/{drift.pk}/acknowledge/"
    response = client_as(admin_user).post(url, {"note": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    drift.refresh_from_db()
    assert drift.acknowledged_at is None


def test_an_admin_records_a_top_up_shown_in_the_providers_ledger(client_as, admin_user, provider):
    client = client_as(admin_user)
    response = client.post(
        f"/providers/{provider.pk}/reconciliation/top-up/",
        {"top_up-amount": "250.75", "top_up-reason": "wire 7781"},
        follow=True,
    )
    html = response.content.decode()
    assert "Top-up of 250.75 USD recorded" in html
    assert "Provider top-up" in html and "wire 7781" in html
    row = LedgerEntry.objects.get()
    assert (row.kind, row.amount, row.actor) == (Movement.TOP_UP, D("250.75"), admin_user)


def test_an_admin_records_a_negative_correction(client_as, admin_user, provider):
    client_as(admin_user).post(
        f"/providers/{provider.pk}/reconciliation/correction/",
        {"correction-amount": "-2.5", "correction-reason": "API fee, statement 12/2026"},
    )
    row = LedgerEntry.objects.get()
    assert (row.kind, row.amount, row.memo) == (
        Movement.CORRECTION,
        D("-2.5"),
        "API fee, statement 12/2026",
    )
    assert AuditEntry.objects.get(action="balance correction").details["amount"] == "-2.50 USD"


@pytest.mark.parametrize(
    ("form", "amount", "message"),
    [
        ("top_up", "-5", "A top-up is money paid in: enter it without a minus sign."),
        ("top_up", "0", "The amount cannot be zero."),
        ("top_up", "1,250.50", "Use a point for decimals and no thousands separator"),
        ("top_up", "12,5", "Use a point for decimals and no thousands separator"),
        ("top_up", "ten", "“ten” is not an amount"),
        ("top_up", "1e3", "“1e3” is not an amount"),
        ("top_up", "NaN", "“NaN” is not an amount"),
        ("top_up", "", "Enter an amount."),
        ("top_up", "1000000.01", "At most 1,000,000."),
        ("top_up", "0.000000001", "At most 8 decimals."),
        ("correction", "-1000001", "At most 1,000,000."),
        ("correction", "+0", "The amount cannot be zero."),
    ],
)
def test_a_wrong_amount_is_refused_beside_the_field(
    client_as, admin_user, provider, form, amount, message
):
    path = "top-up" if form == "top_up" else "correction"
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/reconciliation/{path}/",
        {f"{form}-amount": amount, f"{form}-reason": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{form}-amount_error"' in html
    assert message in html
    assert not LedgerEntry.objects.exists()


def test_a_reason_is_required(client_as, admin_user, provider):
    response = client_as(admin_user).post(
        f"/providers/{provider.pk}/reconciliation/top-up/", {"top_up-amount": "5"}
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_move_money_or_acknowledge(client_as, request, role, provider, drift):
    client = client_as(request.getfixturevalue(role))
    base = f"/providers/{provider.pk}/reconciliation"
    posts = [
        (f"{base}/top-up/", {"top_up-amount": "5", "top_up-reason": "x"}),
        (f"{base}/correction/", {"correction-amount": "-5", "correction-reason": "x"}),
        (f"{base}/checks/{drift.pk}/acknowledge/", {"note": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert not LedgerEntry.objects.exclude(kind=Movement.SPEND).exists()
    drift.refresh_from_db()
    assert drift.acknowledged_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, provider):
    response = client.get(f"/providers/{provider.pk}/reconciliation/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_a_check_of_another_provider_cannot_be_acknowledged_here(client_as, admin_user, drift):
    other = make_provider(name="Other")
    url = f"/providers/{other.pk}/reconciliation/checks/{drift.pk}/acknowledge/"
    assert client_as(admin_user).post(url, {"note": "x"}).status_code == 404


def test_the_providers_list_shows_each_providers_last_check(client_as, viewer, provider, drift):
    calm = make_provider(name="Calm panel")
    check(calm, "10")
    check(calm, "10")
    html = client_as(viewer).get("/providers/").content.decode()
    assert "drift -2.50 USD" in html
    assert f'href="/providers/{provider.pk}/reconciliation/"' in html
    assert ">OK<" in html


def test_home_lists_the_unacknowledged_drift_and_links_to_it(
    client_as, admin_user, provider, drift
):
    html = client_as(admin_user).get("/").content.decode()
    assert "Balance drift" in html
    assert f"/providers/{provider.pk}/reconciliation/?check={drift.pk}#check" in html
    assert "-2.50 USD" in html


def test_home_no_longer_lists_a_drift_once_acknowledged(client_as, admin_user, provider, drift):
    client = client_as(admin_user)
    client.post(
        f"/providers/{provider.pk}/reconciliation/checks/{drift.pk}/acknowledge/", {"note": "ok"}
    )
    assert "Balance drift" not in client.get("/").content.decode()


def test_home_no_longer_lists_a_drift_a_later_check_took_back(client_as, admin_user, provider):
    check(provider, "100")
    check(provider, "104")  # a refund seen upstream first
    order = make_order(make_service(provider), submitted_at=timezone.now() - timedelta(hours=1))
    ledger_post([order_posting(order, Movement.REFUND, D(-4), "USD")])
    check(provider, "104")
    assert "Balance drift" not in client_as(admin_user).get("/").content.decode()
