"""The image's own build steps (the Dockerfile's collectstatic script), then gunicorn as its
CMD runs it with production settings, driven over HTTP: a person can sign in, and the
Compose health checks say what they should. No Docker engine is needed."""

import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.test_make_run import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
HOST = "panel.example.com"
PASSWORD = "a long production password 1"


def dockerfile_runs(script: str) -> bool:
    return any(
        line.startswith("RUN ") and script in line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
    )


def dockerfile_cmd() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    return json.loads(next(line for line in lines if line.startswith("CMD ")).removeprefix("CMD "))


def compose_check(service: str) -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"][service]["healthcheck"]["test"]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The built static files and a gunicorn serving them; yields (port, environment)."""
    tmp = tmp_path_factory.mktemp("image")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env |= {"PATH": f"{VENV_BIN}:{env['PATH']}", "STATIC_ROOT": str(tmp / "static")}
    assert dockerfile_runs("scripts/collect_static.sh")
    subprocess.run(
        ["sh", "scripts/collect_static.sh"], cwd=ROOT, check=True,
        env=env | {"VAR_DIR": str(tmp / "build-var")},
    )  # fmt: skip

    env |= {
        "DEBUG": "false",
        "SECRET_KEY": "s" * 20 + "production-test-secret-key-0123456789",
        "PROVIDER_KEYS_SECRET": "p" * 20 + "production-test-keys-secret-0123456",
        "ALLOWED_HOSTS": HOST,
        "VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'panel.sqlite3'}",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "createsuperuser", "--noinput", "--username", "boss", "--email", "b@x.org"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip

    port = free_port()
    command = dockerfile_cmd()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    server = subprocess.Popen(
        [str(VENV_BIN / command[0]), *command[1:]], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=(tmp / "gunicorn.log").open("wb"),
    )  # fmt: skip
    try:
        wait_for(lambda: answers(port, "/healthz") is not None, 60, "gunicorn to answer")
        yield port, env
    finally:
        server.terminate()
        server.wait(20)


def answers(port: int, path: str, method: str = "GET", body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            method, path, body=body,
            headers={"Host": HOST, "X-Forwarded-Proto": "https"} | (headers or {}),
        )  # fmt: skip
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode(errors="replace")
    except OSError:
        return None
    finally:
        connection.close()


def cookies(headers) -> dict[str, str]:
    return {
        value.split("=", 1)[0]: value.split("=", 1)[1].split(";", 1)[0]
        for name, value in headers
        if name.lower() == "set-cookie"
    }


def test_a_person_signs_in_and_gets_the_pages_with_their_static_files(production):
    port, _ = production
    status, headers, page = answers(port, "/login/")
    assert status == 200
    csrf = cookies(headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    form = f"csrfmiddlewaretoken={token}&username=boss&password={PASSWORD.replace(' ', '+')}"
    status, headers, _ = answers(
        port, "/login/", "POST", form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://{HOST}/login/",
        },
    )  # fmt: skip
    assert status == 302
    session = cookies(headers)["sessionid"]

    status, _, home = answers(port, "/", headers={"Cookie": f"sessionid={session}"})
    assert status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home)[1]
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # the manifest's hashed name
    assert answers(port, stylesheet)[0] == 200


def test_the_web_health_check_passes_with_the_hosts_of_production(production):
    port, env = production
    check = compose_check("web")
    assert check[0] == "CMD"
    command = [a.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for a in check[1:]]
    assert subprocess.run(command, env=env, timeout=30).returncode == 0


def test_the_image_script_writes_the_manifest_that_production_reads(production):
    _, env = production
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    assert "img/favicon.svg" in json.loads(manifest.read_text())["paths"]
