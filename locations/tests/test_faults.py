"""Faults caused on purpose: a lost database, a geocoder outage, an import killed halfway."""

import logging
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from geopy.exc import GeocoderUnavailable

from locations import geocoding

BASE_DIR = Path(__file__).resolve().parents[2]
NEAR_BANDUNG = "/api/v1/outlets/?lat=-6.9147&lng=107.6098"


# --- The database cannot be reached ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        NEAR_BANDUNG,
        "/api/v1/outlets/",
        "/api/v1/outlets.geojson?postcode=40115",
        "/api/v1/outlets/AX-KI-000001/",
        "/api/v1/outlets/clusters/?bbox=95,-11,141,6&zoom=5",
        "/api/v1/postcodes/40115/",
    ],
)
def test_a_lost_database_answers_the_api_with_503_and_a_json_detail(path, database_down, client):
    response = client.get(path)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The database cannot be reached just now. Try again in a minute."
    }
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/", "/?q=40115&kind=kiosk", "/outlets/axis-kiosk--ax-ki-000001/"]
)
def test_a_lost_database_answers_the_site_with_a_plain_503_page(path, database_down, client):
    response = client.get(path)

    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<h1>Service unavailable</h1>" in page
    assert "try again in a minute" in page
    # Self-contained: nothing for the browser to fetch, nothing about the failure.
    for absent in ("<link", "<script", "src=", "Traceback", "Error", "sqlite", "127.0.0.1"):
        assert absent not in page


def test_the_plain_page_speaks_the_visitor_s_language(database_down, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 503
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_a_lost_database_is_one_error_line_in_the_log_without_a_traceback(
    database_down, client, caplog
):
    with caplog.at_level(logging.INFO):
        client.get(NEAR_BANDUNG)

    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    (error,) = errors
    assert error.name == "axisfinder.faults"
    assert error.exc_info is None
    message = error.getMessage()
    assert message.startswith("database unavailable: GET /api/v1/outlets/: OperationalError: ")
    assert "\n" not in message


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_lost_after_the_view_still_answers_503(error, db, monkeypatch):
    # Django makes a response of an exception at each middleware's edge, so a failure in
    # another middleware (here the session's save) comes by handler500.
    def save_fails(self, request, response):
        raise error("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionMiddleware, "process_response", save_fails)
    client = Client(raise_request_exception=False)

    api = client.get(NEAR_BANDUNG)
    page = client.get("/")

    assert (api.status_code, page.status_code) == (503, 503)
    assert api.json()["detail"] == "The database cannot be reached just now. Try again in a minute."
    assert "<h1>Service unavailable</h1>" in page.content.decode()


def test_other_errors_after_the_view_stay_plain_500s(db, monkeypatch):
    def fails(self, request, response):
        raise ValueError("not a database fault")

    monkeypatch.setattr(SessionMiddleware, "process_response", fails)

    response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response


# --- The geocoder is down ----------------------------------------------------------------


@pytest.fixture
def nominatim_down(settings, monkeypatch):
    """Online geocoding configured, and Nominatim unreachable: the queries it was asked."""
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_USER_AGENT = "axisfinder-tests"
    # A domain of its own: no answer cached by another test applies.
    settings.GEOCODER_DOMAIN = "nominatim.invalid"
    settings.GEOCODER_MIN_INTERVAL = 0
    asked = []

    class Unreachable:
        def __init__(self, **options):
            pass

        def geocode(self, query, **options):
            asked.append(query)
            raise GeocoderUnavailable("Nominatim is unreachable")

    monkeypatch.setattr(geocoding, "Nominatim", Unreachable)
    monkeypatch.setattr(geocoding, "_geocoder", None)  # built again, from Unreachable
    return asked


def test_a_postcode_search_answers_from_the_gazetteer_while_the_geocoder_is_down(
    nominatim_down, gazetteer, client
):
    response = client.get("/api/v1/outlets/?postcode=40115")

    assert response.status_code == 200
    origin = response.json()["origin"]
    assert (origin["source"], origin["latitude"], origin["longitude"]) == (
        "postcode",
        -6.9147,
        107.6098,
    )
    assert nominatim_down == []  # a known postcode never waits on the network


def test_a_place_search_answers_from_the_gazetteer_while_the_geocoder_is_down(
    nominatim_down, gazetteer, client
):
    response = client.get("/api/v1/outlets/?q=Bandung")

    assert response.status_code == 200
    answer = response.json()
    assert nominatim_down == ["Bandung"]
    assert (answer["origin"]["label"], answer["origin"]["source"]) == (
        "Kota Bandung, Jawa Barat",
        "place",
    )
    assert answer["message"].startswith("Online search is unavailable; showing the offline match.")


def test_an_address_with_a_postcode_answers_from_the_gazetteer_while_the_geocoder_is_down(
    nominatim_down, gazetteer, client
):
    response = client.get("/api/v1/outlets/?q=Jl. Braga 12, Bandung 40115")

    assert response.status_code == 200
    assert nominatim_down == ["Jl. Braga 12, Bandung 40115"]
    assert response.json()["origin"]["latitude"] == -6.9147


def test_the_locator_answers_from_the_gazetteer_while_the_geocoder_is_down(
    nominatim_down, gazetteer, client
):
    response = client.get("/?q=Bandung")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Online search is unavailable; showing the offline match." in page
    assert "Kota Bandung" in page


# --- An import killed halfway -------------------------------------------------------------

#: How long the killed import may take to reach its second stage (some seconds).
WRITING_WITHIN = 300
#: The importer's second stage, which it draws on a terminal once it has run a while:
#: by then every outlet row is written, inside the transaction.
WRITING_CHILDREN = b"writing hours, services and payments"


def test_an_import_killed_while_writing_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}

    def manage(*args, stderr=None) -> subprocess.Popen:
        command = [sys.executable, "manage.py", *map(str, args)]
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )

    def run(*args) -> None:
        assert manage(*args).wait() == 0

    run("migrate", "--verbosity", "0")
    run("generate_outlets", 200, "--seed", 5, "-o", tmp_path / "before.csv")
    run("import_outlets", tmp_path / "before.csv")
    before = contents(database)
    # The same 200 codes with other names, places and hours, and 19,800 more: two chunks
    # of the second stage, so that its progress is drawn before it ends.
    run("generate_outlets", 20_000, "-o", tmp_path / "big.csv")

    # On a terminal the command draws each stage's progress.
    terminal, command_side = pty.openpty()
    importing = manage("import_outlets", tmp_path / "big.csv", stderr=command_side)
    os.close(command_side)
    try:
        shown = read_until(terminal, WRITING_CHILDREN, time.monotonic() + WRITING_WITHIN)
        importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=60)
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
        os.close(terminal)

    assert WRITING_CHILDREN in shown, shown.decode(errors="replace")
    assert importing.returncode == -signal.SIGKILL  # killed, not finished
    after = contents(database)  # the first connection rolls SQLite's journal back
    assert after == before
    assert sum(line.startswith('INSERT INTO "locations_outlet" ') for line in after) == 200


def contents(database: Path) -> list[str]:
    """Every table's rows, as SQL."""
    with closing(sqlite3.connect(database)) as connection:
        return list(connection.iterdump())


def read_until(terminal: int, wanted: bytes, deadline: float) -> bytes:
    """What the command wrote to its terminal, up to ``wanted``, the end of its output or
    the deadline, whichever comes first."""
    shown = b""
    while wanted not in shown and time.monotonic() < deadline:
        ready, _, _ = select.select([terminal], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # Linux: EIO once the command has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    return shown
