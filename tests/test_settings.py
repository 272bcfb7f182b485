"""The settings module as a fresh process sees it, with only the environment given."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-" + "q" * 20,
    "PROVIDER_KEYS_SECRET": "k" * 20 + "-a-long-random-encryption-secret-" + "z" * 20,
    "ALLOWED_HOSTS": "panel.example.com",
    "DATABASE_URL": "postgres://panel@127.0.0.1:5432/panel",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'broker': s.CELERY_BROKER_URL, "
    "'opts': getattr(s, 'CELERY_BROKER_TRANSPORT_OPTIONS', {})}))"
)


def run(args, env, tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PRODUCTION, "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean["VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_it_runs_embedded_on_sqlite_and_the_embedded_broker(tmp_path):
    result = run(["shell", "-c", SHOW], {}, tmp_path)
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["debug"] is True
    assert shown["db"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(tmp_path / "var" / "panel.sqlite3")
    assert shown["broker"] == "embedded://localhost/"  # a host: kombu warns at each connection
    for folder in ("data_folder_in", "data_folder_out", "control_folder"):
        assert Path(shown["opts"][folder]).is_absolute()
        assert Path(shown["opts"][folder]).is_dir()


def test_the_embedded_secret_is_generated_once_and_kept(tmp_path):
    show_key = ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]
    first = run(show_key, {}, tmp_path).stdout.strip().splitlines()[-1]
    second = run(show_key, {}, tmp_path).stdout.strip().splitlines()[-1]
    assert len(first) >= 50
    assert first == second
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_database_and_broker_urls_from_the_environment_are_used(tmp_path):
    result = run(["shell", "-c", SHOW], PRODUCTION, tmp_path)
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["db"] == "django.db.backends.postgresql"
    assert shown["broker"] == "redis://127.0.0.1:6379/0"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(["check"], PRODUCTION | {"SECRET_KEY": ""}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_a_provider_keys_secret(tmp_path):
    result = run(["check"], PRODUCTION | {"PROVIDER_KEYS_SECRET": ""}, tmp_path)
    assert result.returncode != 0
    assert "PROVIDER_KEYS_SECRET must be set when DEBUG is off" in result.stderr


def test_production_refuses_a_weak_secret_key(tmp_path):
    result = run(["check"], PRODUCTION | {"SECRET_KEY": "django-insecure-short"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run(["check"], PRODUCTION | {"ALLOWED_HOSTS": ""}, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
