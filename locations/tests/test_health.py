"""``GET /healthz``: the database and the cache, checked on every call."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from locations import health


class UnreachableCache:
    """A cache whose server refuses every connection."""

    def _refuse(self, *args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    set = get = delete = _refuse


def test_healthz_is_ok_when_the_database_and_the_cache_answer(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_a_plain_http_probe_is_answered_where_pages_redirect_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_is_never_cached_and_sets_no_cookie(db, client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_is_503_naming_the_database_when_it_cannot_be_reached(database_down, client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}


def test_healthz_is_503_naming_the_cache_when_it_cannot_be_reached(db, client, monkeypatch):
    monkeypatch.setattr(health, "cache", UnreachableCache())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}


def test_healthz_is_503_when_the_cache_keeps_nothing(db, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_healthz_leaves_nothing_in_the_cache(db, client, monkeypatch):
    class Recording:
        def __init__(self, cache):
            self.cache, self.keys = cache, []

        def set(self, key, *args, **kwargs):
            self.keys.append(key)
            return self.cache.set(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.cache, name)

    recording = Recording(health.cache)
    monkeypatch.setattr(health, "cache", recording)
    client.get("/healthz")
    client.get("/healthz")

    assert len(set(recording.keys)) == 2  # a key of its own each time
    assert all(recording.cache.get(key) is None for key in recording.keys)


def test_healthz_is_not_throttled_with_the_api(db, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min"},
    }

    statuses = {client.get("/healthz").status_code for _ in range(3)}

    assert statuses == {200}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_answers_only_reads(method, db, client):
    assert getattr(client, method)("/healthz").status_code == 405
