"""Answers written from the search index's cards are, byte for byte, what the serializers
and DRF's renderer write from the database's rows."""

import datetime
import json
from datetime import UTC

import pytest
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer

from locations import hours, search
from locations.api import cards
from locations.api.serializers import OutletSerializer
from locations.models import Outlet
from locations.search import Hit

from ..factories import OutletFactory, SpecialHoursFactory
from .support import always_open, weekdays_nine_to_nine

# A Monday before Christmas, a holiday and the special hours below.
INSTANTS = [
    datetime.datetime(2026, 12, 21, 6, 0, tzinfo=UTC),
    datetime.datetime(2026, 12, 25, 3, 0, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 13, 30, tzinfo=UTC),
]
HOSTILE = [
    'Kios "Braga" \\ 1',
    "Toko\u2028baris\u2029dua",
    "</script><b>Ω</b> 😀",
    "Jl. Raya Darmo № 3, Surabaya – Timur",
]


@pytest.fixture
def assorted(vocabularies):
    """Stores and kiosks in the three zones, with awkward text, special hours, PH off and
    a temporary closure."""
    zones = [
        ("Asia/Jakarta", -6.91, 107.61),
        ("Asia/Makassar", -8.65, 115.22),
        ("Asia/Jayapura", -2.53, 140.72),
    ]
    for n, text in enumerate(HOSTILE * 3):
        zone, latitude, longitude = zones[n % 3]
        outlet = OutletFactory(
            code=f"CARD-{n:02}",
            kind="kiosk" if n % 2 else "store",
            name=text,
            address=HOSTILE[(n + 1) % len(HOSTILE)],
            phone="" if n % 2 else "+62 22 4201234",
            latitude=latitude + n / 1000,
            longitude=longitude,
            timezone=zone,
            services=["topup", "data_package"] if n % 2 else ["sim_replacement"],
            payment_methods=["qris"] if n % 3 else [],
            closed_on_public_holidays=bool(n % 2),
            status="temporarily_closed" if n == 5 else "active",
        )
        (always_open if n % 4 == 0 else weekdays_nine_to_nine)(outlet)
        if n % 3 == 1:
            SpecialHoursFactory(
                outlet=outlet,
                start_date=datetime.date(2026, 12, 31),
                end_date=datetime.date(2027, 1, 1),
                reason="Libur – Tahun Baru ✨",
            )


def test_encode_writes_what_drf_renders():
    values = [HOSTILE, {"a": None, "b": [1.5, -6.917464, 0.1 + 0.2]}, "\u2028", {"x": True}]
    for value in values:
        assert cards.encode(value) == JSONRenderer().render(value)


@pytest.mark.parametrize(
    "name", [*HOSTILE, '"latitude":1,"longitude":2,', 'x","code":"EVIL', '\\","slug":']
)
def test_a_cards_values_are_read_where_they_are_whatever_the_text(name):
    fields = {
        "code": "AX-KI-000123",
        "slug": "axis-kiosk-braga--ax-ki-000123",
        "name": name,
        "address": name,
        "latitude": -6.917464,
        "longitude": 107.60713,
        "services": ["topup", "data_package"],
    }
    card = cards.encode(fields)
    for member in ("code", "slug", "latitude", "longitude"):
        assert cards.card_value(card, member.encode()) == cards.encode(fields[member])
    assert cards.card_slug(card) == fields["slug"].encode()
    last = cards.encode({"name": name, "longitude": 107.5})
    assert cards.card_value(last, b"longitude") == b"107.5"


@pytest.mark.django_db
@pytest.mark.parametrize("at", INSTANTS)
def test_the_list_from_cards_is_the_serializers_list(assorted, client, at):
    url = f"/api/v1/outlets/?lat=-6.9&lng=107.6&limit=100&at={at:%Y-%m-%dT%H:%M:%SZ}"
    response = client.get(url)
    body = json.loads(response.content)
    # Byte for byte what DRF's renderer writes for the same data...
    assert JSONRenderer().render(body) == response.content
    # ...and the data that the serializer makes of the outlets' rows.
    hits = search.nearest(-6.9, 107.6, limit=100, at=at)
    context = {"request": RequestFactory().get(url), "at": at}
    rows = Outlet.objects.for_hits(hits, at)
    expected = OutletSerializer(rows, many=True, context=context).data
    assert body["results"] == json.loads(JSONRenderer().render(expected))
    assert len(body["results"]) == len(HOSTILE) * 3


@pytest.mark.django_db
def test_the_geojson_from_cards_has_the_lists_outlets(assorted, client):
    at = f"{INSTANTS[0]:%Y-%m-%dT%H:%M:%SZ}"
    listed = json.loads(client.get(f"/api/v1/outlets/?limit=100&at={at}").content)
    response = client.get(f"/api/v1/outlets.geojson?limit=100&at={at}")
    collection = json.loads(response.content)
    assert JSONRenderer().render(collection) == response.content
    assert [f["properties"] for f in collection["features"]] == listed["results"]
    for feature in collection["features"]:
        properties = feature["properties"]
        assert feature["id"] == properties["code"]
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [properties["longitude"], properties["latitude"]],
        }


@pytest.mark.django_db
@pytest.mark.parametrize("at", INSTANTS)
def test_the_detail_from_the_index_is_the_detail_from_the_database(
    assorted, client, monkeypatch, at
):
    paths = [f"/api/v1/outlets/CARD-{n:02}/?at={at:%Y-%m-%dT%H:%M:%SZ}" for n in range(12)]
    from_index = [client.get(path) for path in paths]
    monkeypatch.setattr("locations.api.views.find_outlet", lambda code: None)
    from_rows = [client.get(path) for path in paths]
    for indexed, read in zip(from_index, from_rows, strict=True):
        assert indexed.status_code == read.status_code == 200
        assert indexed.content == read.content


@pytest.mark.django_db
def test_the_detail_follows_an_edit_at_once(assorted, client):
    assert client.get("/api/v1/outlets/CARD-01/").json()["name"] == HOSTILE[1]
    Outlet.objects.filter(code="CARD-01").update(name="Renamed")
    Outlet.objects.get(code="CARD-01").save()  # as the admin saves: logged for the index
    assert client.get("/api/v1/outlets/CARD-01/").json()["name"] == "Renamed"
    Outlet.objects.get(code="CARD-01").delete()
    assert client.get("/api/v1/outlets/CARD-01/").status_code == 404


@pytest.mark.django_db
def test_statuses_are_shared_within_an_instant_and_a_language_only(assorted, client):
    at = f"{INSTANTS[0]:%Y-%m-%dT%H:%M:%SZ}"
    later = f"{INSTANTS[1]:%Y-%m-%dT%H:%M:%SZ}"

    def labels(at, language="en"):
        url = f"/api/v1/outlets/?limit=100&at={at}"
        answer = client.get(url, headers={"accept-language": language}).json()
        return [outlet["status"]["label"] for outlet in answer["results"]]

    english = labels(at)
    assert labels(at, "id") != english  # Bahasa Indonesia, not the English just worked out
    assert labels(at) == english
    assert labels(later) != english  # Christmas Day: another instant, other statuses


def test_a_status_is_kept_for_its_own_schedule_not_another_at_the_same_address(rf):
    at = INSTANTS[0]
    schedule = hours.compile_schedule(hours.Hours.always_open(), "Asia/Jakarta")
    other = hours.compile_schedule(hours.Hours(), "Asia/Jakarta")
    outlets = cards.Outlets(rf.get("/"), at)
    # As if ``other`` had been freed and ``schedule`` made at its address since.
    cards.STATUSES.at(at)[("en", id(schedule))] = (other, b'"stale"')
    hit = Hit(1, None, schedule, card=b'{"code":"A","slug":"a--a"}')
    assert json.loads(outlets.status(hit))["label"] == "Open 24 hours"
    assert b'"stale"' not in outlets.one(hit)
