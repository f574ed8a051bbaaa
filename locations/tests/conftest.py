import os
import shutil

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from locations.models import Place, PostcodeArea

from .redis_server import RedisServer, free_port


@pytest.fixture
def clock(request, monkeypatch):
    """The pages' "now": the test module's ``NOW`` until a test sets ``clock.now``."""

    class Clock:
        now = request.module.NOW

    monkeypatch.setattr("locations.views.timezone.now", lambda: Clock.now)
    return Clock


@pytest.fixture
def vocabularies(db):
    """The service and payment vocabularies: ``migrate`` wrote them into the test database
    (a test that needs them says so by asking for this fixture)."""


@pytest.fixture
def city_centre_postcode(db):
    """40999: a Bandung postcode known only by its city's centre."""
    return PostcodeArea.objects.create(
        postcode="40999",
        latitude=-6.9147,
        longitude=107.6098,
        place="",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="city",
    )


@pytest.fixture
def gazetteer(vocabularies):
    """Two Bandung postcodes and two places named Bandung (the city is the likelier)."""
    PostcodeArea.objects.create(
        postcode="40115",
        latitude=-6.9147,
        longitude=107.6098,
        place="Bandung Wetan",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="district",
    )
    PostcodeArea.objects.create(
        postcode="40117",
        latitude=-6.91,
        longitude=107.62,
        place="Cihapit",
        city="Kota Bandung",
        province="Jawa Barat",
        precision="village",
    )
    Place.objects.create(
        kind="city",
        name="Kota Bandung",
        key="kotabandung",
        province="Jawa Barat",
        latitude=-6.9147,
        longitude=107.6098,
        precision="city",
        rank=1_700_000,
    )
    Place.objects.create(
        kind="regency",
        name="Kabupaten Bandung",
        key="kabupatenbandung",
        province="Jawa Barat",
        latitude=-7.0251,
        longitude=107.5197,
        precision="city",
    )


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis for the whole run (its ``url``; ``stop()`` and ``start()`` bring it down
    and back). Skipped without Debian's redis-server, unless REQUIRE_REDIS=1."""
    executable = shutil.which("redis-server")
    if executable is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_REDIS", "") not in ("", "0"):
            pytest.fail(reason)
        pytest.skip(reason)
    server = RedisServer(executable, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_down(request, django_db_blocker, tmp_path):
    """The default database swapped, in this thread, for one that cannot be reached: an
    SQLite file in a directory that does not exist, or PostgreSQL on a port where nothing
    listens. (Django keeps one connection per alias and thread, so the test's own database
    is untouched and comes back afterwards.)"""
    if request.param == "sqlite":
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "gone" / "db"}
    else:
        pytest.importorskip("psycopg")
        database = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "axisfinder",
            "USER": "axisfinder",
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "OPTIONS": {"connect_timeout": 5},
        }
    settings_dict = connections.configure_settings({DEFAULT_DB_ALIAS: database})[DEFAULT_DB_ALIAS]
    backend = load_backend(settings_dict["ENGINE"])
    original = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = backend.DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    try:
        with django_db_blocker.unblock():
            yield request.param
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = original
