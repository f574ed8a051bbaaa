"""The shared cache: with REDIS_URL every process counts, gates and remembers in one Redis;
when Redis cannot be reached each process goes on with its local memory, says so once in
the log, and returns to Redis when it answers again."""

import logging
import os
import runpy
from pathlib import Path

import pytest
import redis
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache, caches
from geopy.location import Location
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

import axisfinder.cache
from axisfinder.cache import RETRY_SECONDS, WARN_SECONDS
from locations import geocoding

from .api.test_citizenship import requests_with_rate
from .factories import OutletFactory
from .redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]
THROTTLE_KEY = "throttle_anon_127.0.0.1"  # DRF's key for the test client's address


def caches_setting(monkeypatch, redis_url: str | None) -> dict:
    """CACHES as axisfinder/settings.py builds it with (or without) REDIS_URL."""
    if redis_url is None:
        monkeypatch.delenv("REDIS_URL", raising=False)
    else:
        monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(str(ROOT / "axisfinder" / "settings.py"))["CACHES"]


@pytest.fixture
def clock(monkeypatch):
    """The cache's clock, moved only by the test."""

    class Clock:
        now = 1000.0

        def __call__(self):
            return self.now

    fake = Clock()
    monkeypatch.setattr(axisfinder.cache, "_clock", fake)
    return fake


@pytest.fixture(autouse=True)
def _fresh_health(monkeypatch):
    # What the process remembers of Redis's outages.
    monkeypatch.setattr(axisfinder.cache, "_health", {})


@pytest.fixture
def redis_cache(redis_server, settings, monkeypatch):
    """The default cache on the test Redis, as the settings configure it for REDIS_URL."""
    settings.CACHES = caches_setting(monkeypatch, redis_server.url)
    cache.clear()
    yield redis_server
    cache.clear()


@pytest.fixture
def unreachable_cache(settings, monkeypatch):
    """The default cache on a Redis URL (with a password) where nothing listens."""
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"
    settings.CACHES = caches_setting(monkeypatch, url)
    return url


@pytest.fixture
def throttle_rate(monkeypatch):
    """Set the anonymous API rate in this process (DRF reads it once, on import)."""

    def set_rate(rate):
        monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": rate})
        monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle])

    return set_rate


# --- Settings ------------------------------------------------------------------------------


def test_without_redis_url_each_process_has_its_local_memory(monkeypatch):
    assert caches_setting(monkeypatch, None) == {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def test_redis_url_selects_redis_with_short_socket_timeouts(monkeypatch):
    default = caches_setting(monkeypatch, "redis://cache.internal:6379/1")["default"]
    assert (default["BACKEND"], default["LOCATION"]) == (
        "axisfinder.cache.FallbackRedisCache",
        "redis://cache.internal:6379/1",
    )
    assert default["OPTIONS"]["socket_connect_timeout"] <= 0.5
    assert default["OPTIONS"]["socket_timeout"] <= 1


def test_sessions_are_cached_with_the_database_behind_them(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


# --- Shared across processes ---------------------------------------------------------------


def test_the_api_throttle_counts_every_process_s_requests(redis_cache, client, throttle_rate):
    # Three an hour for 127.0.0.1: one request here, two from another process, and this
    # process's next request is over the limit. (A request without bbox is a 400 before any
    # database work; it counts all the same.)
    throttle_rate("3/hour")
    url = "/api/v1/outlets/clusters/"
    assert client.get(url).status_code == 400
    assert requests_with_rate("3/hour", 2, REDIS_URL=redis_cache.url) == ["400", "400"]
    assert client.get(url).status_code == 429
    assert len(cache.get(THROTTLE_KEY)) == 3


def test_the_other_process_is_refused_once_this_one_used_the_rate(
    redis_cache, client, throttle_rate
):
    throttle_rate("2/hour")
    for _ in range(2):
        client.get("/api/v1/outlets/clusters/")
    assert requests_with_rate("2/hour", 1, REDIS_URL=redis_cache.url) == ["429"]


def test_the_geocoder_gate_is_taken_by_one_connection_only(redis_cache):
    # Two cache objects, each with its own connection pool: two processes.
    ours, theirs = caches.create_connection("default"), caches.create_connection("default")
    assert ours.add(geocoding.GATE_KEY, "host-a:1", 1) is True
    assert theirs.add(geocoding.GATE_KEY, "host-b:2", 1) is False
    assert theirs.get(geocoding.GATE_KEY) == "host-a:1"


@pytest.fixture
def geocoder(monkeypatch, settings):
    """geocoding's gate on a clock that never really waits, and a fake Nominatim."""
    settings.GEOCODER_MIN_INTERVAL = 1.0
    now = [1000.0]

    def sleep(seconds):
        now[0] += seconds

    class FakeNominatim:
        answer = Location("Braga, Bandung, Indonesia", (-6.917, 107.609), {})

        def __init__(self, **options):
            pass

        def geocode(self, query, **options):
            if isinstance(FakeNominatim.answer, BaseException):
                raise FakeNominatim.answer
            return FakeNominatim.answer

    monkeypatch.setattr(geocoding, "_clock", lambda: now[0])
    monkeypatch.setattr(geocoding, "_sleep", sleep)
    monkeypatch.setattr(geocoding, "_last_request", None)
    monkeypatch.setattr(geocoding, "_geocoder", None)
    monkeypatch.setattr(geocoding, "Nominatim", FakeNominatim)
    return FakeNominatim


def test_another_process_holding_the_geocoder_gate_keeps_this_one_offline(redis_cache, geocoder):
    other_process = caches.create_connection("default")
    other_process.add(geocoding.GATE_KEY, "other-host:4242", 10)
    assert geocoding._take_slot() is False
    other_process.delete(geocoding.GATE_KEY)
    assert geocoding._take_slot() is True
    assert other_process.get(geocoding.GATE_KEY).endswith(f":{os.getpid()}")


def test_geocoder_answers_are_kept_in_redis_for_every_process(redis_cache, geocoder):
    answer = geocoding._online("Jl. Braga 10, Bandung", "ID")
    raw = redis.Redis.from_url(redis_cache.url)
    keys = [key.decode() for key in raw.keys(":1:locations.geocoding:*")]
    raw.close()
    answers = [key for key in keys if key != f":1:{geocoding.GATE_KEY}"]
    assert len(answers) == 1
    other_process = caches.create_connection("default")
    assert other_process.get(answers[0].removeprefix(":1:")) == answer
    geocoder.answer = OSError("Nominatim is down")
    assert geocoding._online("jl braga 10 bandung", "ID") == answer


def test_a_session_outlives_an_emptied_cache(redis_cache, admin_client):
    raw = redis.Redis.from_url(redis_cache.url)
    assert raw.keys(f":1:{SESSION_KEY_PREFIX}*")
    raw.flushdb()
    raw.close()
    assert admin_client.get("/admin/").status_code == 200


# --- Redis unreachable ---------------------------------------------------------------------


def cache_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "axisfinder.cache" and record.levelno == logging.WARNING
    ]


def test_an_unreachable_redis_leaves_the_cache_in_local_memory(unreachable_cache, clock):
    cache.set("answer", 42)
    assert cache.get("answer") == 42
    assert cache.add("answer", 43) is False
    assert cache.incr("answer") == 43
    assert cache.get_many(["answer", "nothing"]) == {"answer": 43}
    assert cache.has_key("answer")
    cache.delete("answer")
    assert cache.get("answer") is None


def test_an_unreachable_redis_is_logged_once_without_its_password(unreachable_cache, clock, caplog):
    with caplog.at_level(logging.INFO, logger="axisfinder.cache"):
        for _ in range(20):
            cache.get("answer")
    (warning,) = cache_warnings(caplog)
    port = unreachable_cache.rsplit(":", 1)[1].split("/")[0]
    assert f"redis://127.0.0.1:{port}/0 is unreachable" in warning
    assert "s3cret" not in caplog.text


def test_an_unreachable_redis_is_tried_again_after_a_pause_and_logged_once_a_minute(
    unreachable_cache, clock, caplog
):
    with caplog.at_level(logging.INFO, logger="axisfinder.cache"):
        cache.get("answer")
        clock.now += RETRY_SECONDS
        cache.get("answer")  # tried again: still down, already said
        assert len(cache_warnings(caplog)) == 1
        clock.now += WARN_SECONDS
        cache.get("answer")
    assert len(cache_warnings(caplog)) == 2


def test_the_site_and_the_api_answer_while_redis_is_unreachable(
    unreachable_cache, clock, gazetteer, client, throttle_rate
):
    throttle_rate("2/min")
    OutletFactory(code="NEAR", latitude=-6.915, longitude=107.61)
    page = client.get("/", {"q": "40115"})
    assert page.status_code == 200
    assert 'data-code="NEAR"' in page.content.decode()
    api = client.get("/api/v1/outlets/", {"postcode": "40115"})
    assert api.status_code == 200
    assert [outlet["code"] for outlet in api.json()["results"]] == ["NEAR"]
    # The throttle still holds, per process, on the local memory.
    assert [client.get("/api/v1/outlets/").status_code for _ in range(2)] == [200, 429]


def test_staff_stay_signed_in_while_redis_is_unreachable(unreachable_cache, clock, admin_client):
    assert admin_client.get("/admin/").status_code == 200


def test_redis_coming_back_is_used_again_after_the_pause(redis_cache, clock, caplog):
    raw = redis.Redis.from_url(redis_cache.url)
    redis_cache.stop()
    try:
        with caplog.at_level(logging.INFO, logger="axisfinder.cache"):
            cache.set("answer", "from local memory")
            assert cache.get("answer") == "from local memory"
    finally:
        redis_cache.start()
    raw.set(":1:answer", 42)  # written by another process, in Redis's own format for ints
    raw.close()
    assert cache.get("answer") == "from local memory"  # still pausing
    clock.now += RETRY_SECONDS
    with caplog.at_level(logging.INFO, logger="axisfinder.cache"):
        assert cache.get("answer") == 42
    assert len(cache_warnings(caplog)) == 1
    assert "answers again" in caplog.text
