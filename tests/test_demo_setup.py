from decimal import Decimal

import pytest
from django.core.management import call_command

from orders.models import Provider
from simulator.models import SimAccount


@pytest.mark.django_db
def test_it_prints_a_working_demo_login(client, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command("demo_setup", port=8123)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    password = out.split("Sign in as: demo / ")[1].split()[0]
    assert password == (tmp_path / "demo_password").read_text().strip()
    response = client.post("/login/", {"username": "demo", "password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_keeps_the_same_password_when_run_again(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    call_command("demo_setup")
    call_command("demo_setup")
    first, second = (line for line in capsys.readouterr().out.splitlines() if "Sign in as" in line)
    assert first == second


@pytest.mark.django_db
def test_it_refuses_to_run_outside_the_embedded_demo(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="embedded demo only"):
        call_command("demo_setup")


@pytest.mark.django_db
def test_it_points_the_demo_provider_at_the_built_in_simulator(settings, tmp_path, capsys):
    settings.VAR_DIR, settings.DEBUG, settings.SIMULATOR_ENABLED = tmp_path, True, True
    call_command("demo_setup", port=8123)
    call_command("demo_setup", port=8124)  # run again on another port: one provider, moved
    provider = Provider.objects.get()
    assert provider.api_url == "http://127.0.0.1:8124/simulator/api/v2"
    assert SimAccount.objects.get(api_key=provider.api_key).balance > 0
    assert "Demo provider: http://127.0.0.1:8124/simulator/api/v2" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_makes_a_funded_demo_customer_whose_printed_key_is_the_same_every_time(
    settings, tmp_path, capsys
):
    from customers.models import Customer
    from customers.selectors.account import customer_balance
    from customers.selectors.keys import key_lookup

    settings.VAR_DIR, settings.DEBUG = tmp_path, True
    call_command("demo_setup", port=8123)
    call_command("demo_setup", port=8123)
    lines = [line for line in capsys.readouterr().out.splitlines() if "Our API v2" in line]
    assert len(lines) == 2 and lines[0] == lines[1]
    assert "http://127.0.0.1:8123/api/v2" in lines[0]
    key = key_lookup(lines[0].split()[-1])
    assert key is not None and key.customer.name == "Demo customer"
    assert Customer.objects.count() == 1
    assert customer_balance(key.customer_id) == Decimal("100.00")
