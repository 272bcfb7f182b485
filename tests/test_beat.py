"""Beat's scheduler (panel/beat.py): a heartbeat Compose's health check can read, and the
jobs that never ran sent as soon as it starts."""

import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

from orders.models import JobRun
from panel.beat import Scheduler
from panel.celery import app

ROOT = Path(__file__).resolve().parents[1]
AN_HOUR_AGO = time.time() - 3600


@pytest.fixture
def sent(monkeypatch):
    names: list[str] = []
    monkeypatch.setattr(Scheduler, "apply_async", lambda _, entry, **kw: names.append(entry.name))
    return names


def beat_health_check(var_dir: Path) -> str:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    kind, command = compose["services"]["beat"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    # Compose turns $$ into $; the image keeps beat's files in /app/var.
    return command.replace("$$", "$").replace("/app/var/", f"{var_dir}/")


@pytest.mark.django_db
def test_a_tick_keeps_the_compose_health_check_passing(tmp_path, sent):
    """On Python 3.13 the schedule is SQLite in WAL mode: its file's time stands still."""
    scheduler = Scheduler(app, schedule_filename=str(tmp_path / "celerybeat-schedule"))
    scheduler.tick()
    for path in tmp_path.iterdir():
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))  # beat has been running for an hour
    check = beat_health_check(tmp_path)
    assert subprocess.run(["sh", "-c", check]).returncode != 0

    scheduler.tick()

    assert subprocess.run(["sh", "-c", check]).returncode == 0
    scheduler.close()


@pytest.mark.django_db
def test_at_start_it_sends_at_once_the_jobs_that_never_ran(tmp_path, sent):
    JobRun.objects.create(name="poll_orders", last_started_at=timezone.now())
    JobRun.objects.create(name="sweep_orders")  # known, never started

    Scheduler(app, schedule_filename=str(tmp_path / "celerybeat-schedule")).close()

    assert sorted(sent) == sorted(set(settings.CELERY_BEAT_SCHEDULE) - {"poll_orders"})


def test_without_a_database_it_starts_all_the_same(tmp_path, sent):
    Scheduler(app, schedule_filename=str(tmp_path / "celerybeat-schedule")).close()
    assert sent == []
