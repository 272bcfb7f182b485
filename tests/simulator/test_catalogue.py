"""Building catalogues: the standard one, and big ones for benchmarks."""

import time

from django.core.management import call_command

from simulator.catalogue import STANDARD, build_catalogue, seed_catalogue
from simulator.models import SimService


def test_seeding_twice_creates_the_standard_catalogue_once(db):
    assert seed_catalogue() == len(STANDARD)
    assert seed_catalogue() == 0
    assert SimService.objects.count() == len(STANDARD)


def test_it_builds_ten_thousand_services_in_a_few_seconds(sim, sim_api):
    started = time.monotonic()
    build_catalogue(10_000)
    assert time.monotonic() - started < 5
    services = sim_api("services")
    assert len(services) == 10_000
    assert len({s["service"] for s in services}) == 10_000
    assert services[0]["name"].startswith("Instagram Followers")


def test_a_generated_service_can_be_ordered(sim_api, sim):
    build_catalogue(100)
    service = next(
        s for s in sim_api("services") if s["type"] == "Default" and int(s["service"]) > 30
    )
    answer = sim_api(
        "add", service=service["service"], link="https://t.me/x", quantity=service["min"]
    )
    assert "order" in answer


def test_building_again_only_adds_what_is_missing(db):
    build_catalogue(50)
    assert build_catalogue(50) == 0
    assert build_catalogue(60) == 10


def test_the_command_says_what_it_built(db, capsys):
    call_command("simulator_catalogue", services=200)
    assert "200 services created" in capsys.readouterr().out
