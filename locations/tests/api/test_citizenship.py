"""Good citizenship: throttling, CORS, conditional requests, and a fixed number of queries."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from locations.models import Outlet

from ..factories import OpeningRangeFactory, OutletFactory, SpecialHoursFactory
from .support import NOON_WIB, body, weekdays_nine_to_nine

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
THROTTLED = [
    "/api/v1/outlets/",
    "/api/v1/outlets.geojson",
    "/api/v1/outlets/clusters/?bbox=95,-11,120,6&zoom=5",
    "/api/v1/outlets/AX-1/",
    "/api/v1/postcodes/40115/",
    "/api/v1/schema/",
]


# --- Throttling ----------------------------------------------------------------------------


@pytest.fixture
def two_a_minute(monkeypatch):
    """The anonymous throttle at two requests a minute, on a clock the test moves.

    DRF reads the rates and the throttle classes once, when it is imported; the throttle
    classes are set too, so that these tests hold in a run with API_THROTTLE_RATE=off.
    """
    clock = [1_000_000.0]
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: clock[0])
    monkeypatch.setattr(APIView, "throttle_classes", [AnonRateThrottle])
    return clock


def test_a_client_over_the_rate_gets_a_429_with_retry_after(vocabularies, client, two_a_minute):
    assert [client.get("/api/v1/outlets/").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/v1/outlets/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert body(response) == {"detail": "Request was throttled. Expected available in 60 seconds."}


def test_a_forwarded_for_header_written_by_the_client_does_not_escape_the_throttle(
    vocabularies, client, two_a_minute, settings
):
    # Without a trusted proxy, X-Forwarded-For is whatever the client wrote.
    statuses = [
        client.get("/api/v1/outlets/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_retry_after_counts_down_to_when_a_request_is_allowed_again(
    vocabularies, client, two_a_minute
):
    client.get("/api/v1/outlets/")
    two_a_minute[0] += 20
    client.get("/api/v1/outlets/")
    two_a_minute[0] += 25
    assert client.get("/api/v1/outlets/")["Retry-After"] == "15"
    two_a_minute[0] += 15
    assert client.get("/api/v1/outlets/").status_code == 200


@pytest.mark.parametrize("url", THROTTLED)
def test_every_endpoint_is_throttled_with_a_json_429(vocabularies, client, two_a_minute, url):
    OutletFactory(code="AX-1")
    client.get(url)
    client.get(url)
    response = client.get(url)
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "detail" in body(response)


def test_bad_requests_count_towards_the_rate(vocabularies, client, two_a_minute):
    client.get("/api/v1/outlets/", {"lat": "x"})
    client.get("/api/v1/outlets/", {"lat": "x"})
    assert client.get("/api/v1/outlets/").status_code == 429


def test_the_rate_is_per_client(vocabularies, client, two_a_minute):
    for _ in range(3):
        client.get("/api/v1/outlets/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/outlets/", REMOTE_ADDR="192.0.2.2").status_code == 200


def requests_with_rate(rate: str, count: int, **environment: str) -> list[str]:
    """The statuses of ``count`` requests in a fresh process run with API_THROTTLE_RATE
    (and ``environment``, such as REDIS_URL)."""
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        f"print(*[c.get('/api/v1/outlets/clusters/').status_code for _ in range({count})])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "axisfinder.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "CRITICAL",
        "API_THROTTLE_RATE": rate,
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("rate", "statuses"),
    [("2/min", ["400", "400", "429"]), ("off", ["400", "400", "400", "400"])],
)
def test_api_throttle_rate_sets_the_rate_and_off_turns_throttling_off(rate, statuses):
    # A request without bbox and zoom is a 400 before any database work.
    assert requests_with_rate(rate, len(statuses)) == statuses


# --- CORS ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/outlets/",
        "/api/v1/outlets.geojson",
        "/api/v1/outlets/AX-1/",
        "/api/v1/outlets/?lat=x",
        "/api/v1/nothing/",
    ],
)
def test_any_site_may_read_the_api(vocabularies, client, url):
    OutletFactory(code="AX-1")
    response = client.get(url, HTTP_ORIGIN="https://maps.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_get_is_allowed(client):
    response = client.options(
        "/api/v1/outlets/",
        HTTP_ORIGIN="https://maps.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"].split(", ")
    assert "accept" in response["Access-Control-Allow-Headers"].split(", ")


def test_a_preflight_does_not_offer_writes(client):
    response = client.options(
        "/api/v1/outlets/",
        HTTP_ORIGIN="https://maps.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in response["Access-Control-Allow-Methods"]


def test_pages_outside_the_api_are_not_shared_with_other_sites(vocabularies, client):
    response = client.get("/", HTTP_ORIGIN="https://maps.example.org")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


# --- Conditional requests ------------------------------------------------------------------


@pytest.fixture
def braga(vocabularies):
    return weekdays_nine_to_nine(OutletFactory(code="BRAGA", name="AXIS Store Braga"))


def test_the_detail_has_an_etag_and_answers_304_when_it_matches(braga, client):
    url = "/api/v1/outlets/BRAGA/"
    first = client.get(url, {"at": NOON_WIB})
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, {"at": NOON_WIB}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_outlet_has_a_new_etag(braga, client):
    url = "/api/v1/outlets/BRAGA/"
    etag = client.get(url, {"at": NOON_WIB})["ETag"]
    Outlet.objects.filter(code="BRAGA").update(phone="+62 22 555")
    response = client.get(url, {"at": NOON_WIB}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert body(response)["phone"] == "+62 22 555"


def test_the_list_answers_304_when_nothing_changed(braga, client):
    params = {"lat": "-6.9", "lng": "107.6", "at": NOON_WIB}
    etag = client.get("/api/v1/outlets/", params)["ETag"]
    assert client.get("/api/v1/outlets/", params, HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- Queries: a fixed number, however many outlets -----------------------------------------


def add_outlets(count):
    """``count`` outlets with everything a result shows: services, payment methods, weekly
    and special hours, and public holidays off."""
    for _ in range(count):
        outlet = OutletFactory(
            services=["topup", "data_package"],
            payment_methods=["cash", "qris"],
            closed_on_public_holidays=True,
        )
        weekdays_nine_to_nine(outlet)
        SpecialHoursFactory(outlet=outlet)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # revision token only: outlets are written from the search index's cards
        ("/api/v1/outlets/", 1),
        ("/api/v1/outlets/?lat=-6.9&lng=107.6", 1),
        ("/api/v1/outlets.geojson?lat=-6.9&lng=107.6", 1),
        # + the vocabulary of services (validation) and the postcode
        ("/api/v1/outlets/?postcode=40115&service=topup&limit=100", 3),
        ("/api/v1/outlets.geojson?limit=100&open_now=true&at=2026-11-25T05:00:00Z", 1),
        ("/api/v1/outlets/clusters/?bbox=95,-11,120,6&zoom=12", 1),
    ],
)
def test_queries_do_not_grow_with_the_number_of_outlets(
    gazetteer, client, django_assert_num_queries, url, queries
):
    for count in (3, 27):
        add_outlets(count)
        assert client.get(url).status_code == 200  # builds the search index
        with django_assert_num_queries(queries):
            client.get(url)


@pytest.mark.parametrize("ranges", [1, 14])
@pytest.mark.parametrize(
    ("code", "lifecycle", "queries"),
    [
        # Searchable: from the search index, after its revision token.
        ("BUSY", "active", 1),
        # Another case of the code, or an outlet the index leaves out: the token, then
        # outlet, services, payment methods, opening ranges, special hours, holiday
        # corrections.
        ("busy", "active", 7),
        ("BUSY", "permanently_closed", 7),
    ],
)
def test_the_detail_takes_fixed_queries_however_long_its_hours(
    vocabularies, client, django_assert_num_queries, ranges, code, lifecycle, queries
):
    outlet = OutletFactory(
        code="BUSY", services=["topup"], closed_on_public_holidays=True, status=lifecycle
    )
    for n in range(ranges):
        OpeningRangeFactory(
            outlet=outlet,
            weekday=n % 7,
            opens=f"{n // 7 * 12:02}:00",
            closes=f"{n // 7 * 12 + 11:02}:00",
        )
        day = datetime.date(2026, 12, n + 1)
        SpecialHoursFactory(outlet=outlet, start_date=day, end_date=day)
    assert client.get("/api/v1/outlets/BUSY/").status_code == 200  # builds the search index
    with django_assert_num_queries(queries):
        assert client.get(f"/api/v1/outlets/{code}/").status_code == 200
