import pytest

from panel.celery import app
from tests.services import redis_url


@pytest.fixture
def broker_url(monkeypatch):
    def use(url):
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setattr(app.conf, "broker_url", url)

    return use


@pytest.mark.django_db
def test_it_reports_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "pages": "ok"}


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_unreachable(client, broker_url):
    broker_url("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_it_reaches_a_real_redis_broker(client, broker_url):
    broker_url(redis_url())
    response = client.get("/healthz")
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_it_answers_whatever_host_the_probe_sends(client, settings):
    """Compose's probe inside the container cannot know which of ALLOWED_HOSTS to send."""
    settings.ALLOWED_HOSTS = ["panel.example.com"]
    assert client.get("/healthz", HTTP_HOST="localhost").status_code == 200
    assert client.get("/login/", HTTP_HOST="localhost").status_code == 400


@pytest.mark.django_db
def test_it_answers_503_when_the_sign_in_page_cannot_be_rendered(client, settings, tmp_path):
    """With DEBUG off, a static file missing from the manifest fails every page."""
    settings.STATIC_ROOT = tmp_path  # collectstatic never ran here: no manifest
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["pages"].startswith("error")
