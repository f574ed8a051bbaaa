"""Turning coordinates, postcodes and place names into a search origin (no network)."""

import contextlib
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from geopy import exc
from geopy.location import Location

from locations import geocoding, search
from locations.gazetteer import CITY, PLACE_KINDS, REGENCY, place_key
from locations.geocoding import InvalidQuery, NotFound, Origin, find_place, resolve
from locations.models import Outlet, Place, PostcodeArea, SearchChange

from .factories import OutletFactory

UNAVAILABLE = "Online search is unavailable; showing the offline match."


def add_place(kind, name, city="", province="Jawa Barat", aliases=(), rank=0, at=(-6.9, 107.6)):
    """One place, with one row per name (aliases share the display name).

    As load_postcodes stores them: a city or regency is its own ``city``, a province its
    own ``province``.
    """
    city = name if kind in (CITY, REGENCY) else city
    for spelling in (name, *aliases):
        Place.objects.create(
            kind=kind,
            name=name,
            key=place_key(spelling),
            city=city,
            province=province,
            latitude=at[0],
            longitude=at[1],
            precision="district" if kind in ("district", "village") else "city",
            rank=rank,
        )


def add_postcode(postcode, place, city="Kota Bandung", at=(-6.91, 107.61), precision="village"):
    PostcodeArea.objects.create(
        postcode=postcode,
        latitude=at[0],
        longitude=at[1],
        place=place,
        city=city,
        province="Jawa Barat",
        precision=precision,
    )


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch, settings):
    settings.GEOCODER = "offline"
    settings.GEOCODER_USER_AGENT = "axisfinder-tests/1.0"
    settings.GEOCODER_MIN_INTERVAL = 1.0
    cache.clear()
    monkeypatch.setattr(geocoding, "_geocoder", None)
    monkeypatch.setattr(geocoding, "_last_request", None)
    monkeypatch.setattr(geocoding, "_names", {})
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """A clock that only moves when told to or when the code under test sleeps."""

    class Clock:
        now = 1000.0
        slept: list

        def __init__(self):
            self.slept = []

        def __call__(self):
            return self.now

        def sleep(self, seconds):
            self.slept.append(round(seconds, 3))
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(geocoding, "_clock", fake)
    monkeypatch.setattr(geocoding, "_sleep", fake.sleep)
    return fake


@pytest.fixture
def gazetteer(db):
    add_place("province", "Jawa Barat", rank=48_000_000, at=(-6.9, 107.6))
    add_place("city", "Kota Bandung", aliases=["Bandung"], rank=2_500_000, at=(-6.9147, 107.6098))
    add_place("regency", "Kabupaten Bandung", rank=3_700_000, at=(-7.0251, 107.5197))
    add_place("district", "Bandung", "Kabupaten Serang", "Banten", rank=40_000, at=(-6.1, 106.3))
    add_place("district", "Sumur Bandung", "Kota Bandung", rank=35_000, at=(-6.918, 107.611))
    add_place("village", "Braga", "Kota Bandung", rank=6_000, at=(-6.917, 107.609))
    add_place("district", "Cicendo", "Kota Bandung", rank=100, at=(-6.90, 107.59))
    add_place("district", "Cicendo", "Kabupaten Garut", rank=500, at=(-7.2, 107.9))
    add_place("regency", "Kabupaten Bantul", "", "DI Yogyakarta", ["Bantul"], 900_000)
    add_place("city", "Kota Baubau", "", "Sulawesi Tenggara", ["Bau-Bau"], 160_000)
    add_place("district", "Kota Agung", "Kabupaten Tanggamus", "Lampung", at=(-5.5, 104.6))
    add_place("village", "Agung", "Kabupaten Tanggamus", "Lampung", rank=9_000)
    add_postcode("40111", "Braga, Sumur Bandung", at=(-6.9175, 107.6091))
    add_postcode("40115", "Bandung Wetan")
    add_postcode("40198", "Sukasari")
    add_postcode("40211", "Cibeunying")


@pytest.fixture
def nominatim(monkeypatch, settings):
    """Nominatim replaced by a fake; set ``answer`` to a Location, None or an exception."""
    settings.GEOCODER = "nominatim"

    class FakeNominatim:
        answer = Location("Braga, Bandung, Jawa Barat, Indonesia", (-6.917, 107.609), {})
        built: list = []
        calls: list = []

        def __init__(self, **options):
            FakeNominatim.built.append(options)

        def geocode(self, query, **options):
            FakeNominatim.calls.append((query, options))
            if isinstance(FakeNominatim.answer, BaseException):
                raise FakeNominatim.answer
            return FakeNominatim.answer

    FakeNominatim.built, FakeNominatim.calls = [], []
    monkeypatch.setattr(geocoding, "Nominatim", FakeNominatim)
    return FakeNominatim


def found(q):
    return find_place(q).origin.label


# --- Coordinates --------------------------------------------------------------------------


def test_coordinates_become_an_origin_labelled_to_five_decimals():
    resolution = resolve(lat="-6.9147", lng=107.6098)
    assert resolution.origin == Origin(-6.9147, 107.6098, "-6.91470, 107.60980", "coordinates")


@pytest.mark.parametrize(("lat", "lng", "param"), [(91, 100, "lat"), ("x", 100, "lat")])
def test_unreadable_or_out_of_range_latitude_is_an_invalid_lat(lat, lng, param):
    with pytest.raises(InvalidQuery) as error:
        resolve(lat=lat, lng=lng)
    assert error.value.param == param
    assert "from -90 to 90" in error.value.message


def test_latitude_without_longitude_is_an_invalid_lng():
    with pytest.raises(InvalidQuery) as error:
        resolve(lat=-6.9)
    assert error.value.param == "lng"


def test_two_kinds_of_origin_are_an_invalid_query():
    with pytest.raises(InvalidQuery) as error:
        resolve(postcode="40111", q="Bandung")
    assert error.value.param == "q"


def test_no_origin_at_all_is_an_invalid_query():
    with pytest.raises(InvalidQuery):
        resolve(q="  ", postcode="")


# --- Postcodes ------------------------------------------------------------------------------


def test_known_postcode_gives_its_point_label_and_precision(gazetteer):
    origin = resolve(postcode="40111").origin
    assert origin == Origin(
        -6.9175, 107.6091, "40111 Braga, Sumur Bandung, Kota Bandung", "postcode", "village"
    )


def test_unknown_postcode_suggests_the_nearest_known_codes(gazetteer):
    with pytest.raises(NotFound) as error:
        resolve(postcode="40199")
    assert error.value.suggestions == ("40198", "40211", "40115")
    assert error.value.message == (
        "No postcode 40199 in Indonesia. Nearby postcodes: 40198, 40211, 40115."
    )


@pytest.mark.parametrize("postcode", ["4011", "401111", "ABCDE"])
def test_malformed_postcode_is_not_found_with_a_clear_message(postcode, gazetteer):
    with pytest.raises(NotFound) as error:
        resolve(postcode=postcode)
    assert "is not a postcode: an Indonesian postcode has five digits" in error.value.message
    assert error.value.suggestions == ()


# --- Place names ----------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["bandung", "BANDUNG", "Bándúng", "  Bandung!  "])
def test_place_names_ignore_case_accents_and_punctuation(q, gazetteer):
    assert found(q) == "Kota Bandung, Jawa Barat"


@pytest.mark.parametrize("q", ["Bau-Bau", "bau bau", "Baubau", "kota BAU-BAU"])
def test_spellings_with_and_without_spaces_or_hyphens_find_the_same_place(q, gazetteer):
    assert found(q) == "Kota Baubau, Sulawesi Tenggara"


def test_a_place_resolves_to_its_gazetteer_point_and_precision(gazetteer):
    assert find_place("Kota Bandung").origin == Origin(
        -6.9147, 107.6098, "Kota Bandung, Jawa Barat", "place", "city"
    )


@pytest.mark.parametrize(
    ("q", "label"),
    [
        ("Kota Bandung", "Kota Bandung, Jawa Barat"),
        ("Kabupaten Bandung", "Kabupaten Bandung, Jawa Barat"),
        ("Kab. Bandung", "Kabupaten Bandung, Jawa Barat"),
        ("Bandung Regency", "Kabupaten Bandung, Jawa Barat"),
        ("Kecamatan Bandung", "Bandung, Kabupaten Serang, Banten"),
    ],
)
def test_a_qualifier_picks_the_place_of_that_kind(q, label, gazetteer):
    assert found(q) == label


def test_a_regency_stored_only_under_its_full_name_is_found_by_its_bare_name(gazetteer):
    add_place("regency", "Kabupaten Badung", province="Bali", rank=0)
    assert found("badung") == "Kabupaten Badung, Bali"


def test_a_qualifier_that_is_part_of_a_name_finds_that_name(gazetteer):
    assert found("Kota Agung") == "Kota Agung, Kabupaten Tanggamus, Lampung"


def test_ambiguous_name_picks_the_city_and_lists_the_other_places_once(gazetteer):
    resolution = find_place("Bandung")
    assert resolution.origin.label == "Kota Bandung, Jawa Barat"
    assert [o.label for o in resolution.alternatives] == [
        "Kabupaten Bandung, Jawa Barat",
        "Bandung, Kabupaten Serang, Banten",
    ]
    assert resolution.alternatives[0] == Origin(
        -7.0251, 107.5197, "Kabupaten Bandung, Jawa Barat", "place", "city"
    )


def test_a_village_named_like_its_district_is_not_a_second_alternative(gazetteer):
    add_place("village", "Sumur Bandung", "Kota Bandung", rank=1_000)
    resolution = find_place("Sumur Bandung")
    assert resolution.origin.precision == "district"
    assert resolution.alternatives == ()


def test_every_place_kind_has_a_rank_among_same_names():
    assert sorted(geocoding.KIND_ORDER) == sorted(PLACE_KINDS)


def test_same_names_of_one_kind_go_by_population(gazetteer):
    assert found("Cicendo") == "Cicendo, Kabupaten Garut, Jawa Barat"


def test_a_place_in_the_city_the_query_names_wins_over_population(gazetteer):
    assert found("Cicendo, Bandung") == "Cicendo, Kota Bandung, Jawa Barat"


def test_an_address_with_commas_resolves_to_its_most_specific_known_part(gazetteer):
    assert found("Jalan Braga, Sumur Bandung, Bandung") == "Sumur Bandung, Kota Bandung, Jawa Barat"


def test_a_place_name_inside_other_words_is_found(gazetteer):
    assert found("dekat alun-alun Bandung") == "Kota Bandung, Jawa Barat"


def test_parts_in_any_order_find_the_place_the_other_parts_confirm(gazetteer):
    assert found("Bandung, Braga") == "Braga, Kota Bandung, Jawa Barat"


def test_a_street_named_like_a_far_away_village_does_not_beat_the_city(gazetteer):
    add_place("village", "Sudirman", "Kabupaten Bantul", "DI Yogyakarta", rank=3_000)
    assert found("Jl. Sudirman 5 Bandung") == "Kota Bandung, Jawa Barat"


def test_a_village_named_with_its_city_in_one_phrase_is_the_village(gazetteer):
    assert found("Braga Bandung") == "Braga, Kota Bandung, Jawa Barat"


def test_a_city_followed_by_its_province_without_commas_is_the_city(gazetteer):
    assert found("Bandung Jawa Barat") == "Kota Bandung, Jawa Barat"


def test_a_known_postcode_inside_an_address_wins(gazetteer):
    origin = find_place("Jl. Asia Afrika 8, Bandung 40111").origin
    assert (origin.source, origin.label) == ("postcode", "40111 Braga, Sumur Bandung, Kota Bandung")


def test_an_unknown_postcode_inside_an_address_leaves_the_place_name(gazetteer):
    assert found("Bandung 49999") == "Kota Bandung, Jawa Barat"


def test_a_query_that_is_only_a_postcode_is_a_postcode_lookup(gazetteer):
    with pytest.raises(NotFound) as error:
        find_place("40199")
    assert error.value.suggestions[0] == "40198"


def test_unknown_place_suggests_close_display_names(gazetteer):
    with pytest.raises(NotFound) as error:
        find_place("Bandugn")
    assert error.value.suggestions[0] == "Kota Bandung"
    assert "Kabupaten Bantul" in error.value.suggestions
    assert error.value.message.startswith("No place called “Bandugn”. Did you mean: Kota Bandung,")


def test_unknown_place_without_any_close_name_has_no_suggestions(gazetteer):
    with pytest.raises(NotFound) as error:
        find_place("Xyzzyqwv")
    assert (error.value.message, error.value.suggestions) == ("No place called “Xyzzyqwv”.", ())


def test_suggestions_include_places_loaded_after_an_earlier_miss(gazetteer):
    with pytest.raises(NotFound):
        find_place("Cimahy")
    add_place("city", "Kota Cimahi", aliases=["Cimahi"], rank=600_000)
    with pytest.raises(NotFound) as error:
        find_place("Cimahy")
    assert error.value.suggestions[0] == "Kota Cimahi"


def test_suggestions_come_from_twenty_thousand_names(db):
    # How long this takes is measured by `make bench` (gazetteer, "misspelt place").
    syllables = [
        "ba",
        "ci",
        "su",
        "ka",
        "ma",
        "ra",
        "ja",
        "ya",
        "ngan",
        "to",
        "li",
        "wa",
        "dung",
        "se",
        "ri",
        "pa",
        "no",
        "gu",
        "de",
        "lo",
    ]
    chance = random.Random(7)
    names = set()
    while len(names) < 20_000:
        names.add("".join(chance.choice(syllables) for _ in range(chance.randint(2, 5))).title())
    Place.objects.bulk_create(
        Place(
            kind="village",
            name=name,
            key=place_key(name),
            latitude=0,
            longitude=0,
            precision="village",
        )
        for name in names
    )
    with pytest.raises(NotFound):
        find_place("Xyzzy")  # loads the names once per process
    with pytest.raises(NotFound) as error:
        find_place("Kecamatan Sukarajayaa")
    assert error.value.suggestions
    assert set(error.value.suggestions) <= names


def test_text_without_letters_or_digits_is_an_invalid_query(db):
    with pytest.raises(InvalidQuery) as error:
        find_place("?!")
    assert error.value.param == "q"


# --- What of the text was used ----------------------------------------------------------------


def test_a_whole_place_name_uses_all_of_the_text_and_says_nothing_more(gazetteer):
    resolution = find_place("bandung")
    assert (resolution.origin.match, resolution.matched, resolution.unused) == (
        "place",
        "bandung",
        "",
    )
    assert resolution.message == ""


def test_a_street_before_a_city_is_reported_as_not_recognised(gazetteer):
    add_place("city", "Jakarta", province="DKI Jakarta", rank=10_000_000, at=(-6.2, 106.8))
    resolution = find_place("Jl. Sudirman, Jakarta")
    assert resolution.origin.label == "Jakarta, DKI Jakarta"
    assert (resolution.matched, resolution.unused) == ("Jakarta", "Jl. Sudirman")
    assert resolution.message == (
        "Showing results near Jakarta, DKI Jakarta; “Jl. Sudirman” was not recognised."
    )


def test_words_around_a_name_in_one_phrase_are_reported_as_typed(gazetteer):
    resolution = find_place("dekat alun-alun Bandung")
    assert (resolution.matched, resolution.unused) == ("Bandung", "dekat alun-alun")


@pytest.mark.parametrize("q", ["dekat Bandung", "near Bandung", "di kota Bandung"])
def test_small_words_around_a_place_leave_nothing_unused(q, gazetteer):
    OutletFactory(name="AXIS Store Bandung")
    resolution = find_place(q)
    assert resolution.origin.label == "Kota Bandung, Jawa Barat"
    assert (resolution.matched, resolution.unused, resolution.message) == (q, "", "")


def test_the_city_that_confirms_a_place_counts_as_used(gazetteer):
    resolution = find_place("Cicendo, Bandung")
    assert resolution.origin.label == "Cicendo, Kota Bandung, Jawa Barat"
    assert (resolution.matched, resolution.unused, resolution.message) == (
        "Cicendo, Bandung",
        "",
        "",
    )


def test_a_token_only_partly_used_is_quoted_word_by_word(gazetteer):
    resolution = find_place("Jl.Sudirman-Bandung")
    assert (resolution.matched, resolution.unused) == ("bandung", "jl sudirman")


def test_unused_parts_on_both_sides_are_each_reported(gazetteer):
    resolution = find_place("Jalan Braga, Sumur Bandung, Bandung, dekat stasiun")
    assert resolution.origin.label == "Sumur Bandung, Kota Bandung, Jawa Barat"
    assert (resolution.matched, resolution.unused) == (
        "Sumur Bandung, Bandung",
        "Jalan Braga, dekat stasiun",
    )


def test_a_postcode_in_an_address_says_the_rest_was_not_used(gazetteer):
    resolution = find_place("Jl. Asia Afrika 8, Bandung 40111")
    assert (resolution.origin.match, resolution.matched) == ("postcode", "40111")
    assert resolution.unused == "Jl. Asia Afrika 8, Bandung"
    assert resolution.message == (
        "Showing results near 40111 Braga, Sumur Bandung, Kota Bandung; the postcode was "
        "used, not “Jl. Asia Afrika 8, Bandung”."
    )


def test_a_postcode_typed_alone_is_matched_as_a_postcode(gazetteer):
    origin = find_place(" 40111 ").origin
    assert (origin.source, origin.match, origin.matched) == ("postcode", "postcode", "40111")


def test_a_postcode_parameter_is_not_text_so_nothing_is_matched(gazetteer):
    origin = resolve(postcode="40111").origin
    assert (origin.match, origin.matched) == (None, None)


def test_a_postcode_placed_at_its_city_centre_says_it_is_approximate(gazetteer):
    add_postcode("40999", "Kota Bandung", precision="city")
    resolution = resolve(postcode="40999")
    assert resolution.origin.precision == "city"
    assert resolution.message == (
        "Showing results near 40999 Kota Bandung (approximate: city centre)."
    )


def test_a_postcode_placed_at_its_province_centre_says_so_in_text_too(gazetteer):
    add_postcode("40998", "", city="", precision="province")
    assert (
        find_place("40998").message == "Showing results near 40998 (approximate: province centre)."
    )


def test_an_approximate_postcode_in_an_address_says_both(gazetteer):
    add_postcode("40999", "Kota Bandung", precision="city")
    assert find_place("Jl. Braga 5, 40999").message == (
        "Showing results near 40999 Kota Bandung (approximate: city centre); the postcode "
        "was used, not “Jl. Braga 5”."
    )


@pytest.mark.parametrize("precision", ["village", "district"])
def test_a_postcode_placed_within_its_city_says_nothing(precision, gazetteer):
    add_postcode("40997", "Sukajadi", precision=precision)
    assert resolve(postcode="40997").message == ""


# --- Outlets named in the text ---------------------------------------------------------------


def grand_indonesia(**fields):
    return OutletFactory(
        **{
            "code": "GI",
            "name": "AXIS Store Grand Indonesia",
            "address": "Grand Indonesia East Mall Lt. 3, Jl. M.H. Thamrin No. 1",
            "city": "Jakarta Pusat",
            "province": "DKI Jakarta",
            "postcode": "10310",
            "latitude": -6.1951,
            "longitude": 106.8213,
            **fields,
        }
    )


def plaza_cendana(**fields):
    return OutletFactory(
        **{
            "code": "PC",
            "kind": "kiosk",
            "name": "AXIS Kiosk Medan Baru",
            "address": "Plaza Cendana Lt. 1, Jl. Cendana No. 3",
            "city": "Medan",
            "province": "Sumatera Utara",
            "latitude": 3.5833,
            "longitude": 98.6667,
            **fields,
        }
    )


def test_an_outlet_s_name_in_the_text_is_the_origin(gazetteer):
    add_place("village", "Indonesia", "Kabupaten Bantul", "DI Yogyakarta", rank=2_000)
    grand_indonesia()
    resolution = find_place("Grand Indonesia")
    assert resolution.origin == Origin(
        -6.1951, 106.8213, "AXIS Store Grand Indonesia, Jakarta Pusat", "place"
    )
    assert (resolution.origin.match, resolution.matched, resolution.unused) == (
        "outlet_name",
        "Grand Indonesia",
        "",
    )
    assert resolution.message == "Matched outlet: AXIS Store Grand Indonesia."


@pytest.mark.parametrize("q", ["plaza cendana", "PLAZA CENDANA", "Pláza Cendána", "plaza-cendana!"])
def test_an_outlet_s_address_beats_a_village_named_in_part_of_it(q, gazetteer):
    add_place("village", "Cendana", "Kabupaten Enrekang", "Sulawesi Selatan", rank=3_000)
    plaza_cendana()
    resolution = find_place(q)
    assert resolution.origin.label == "AXIS Kiosk Medan Baru, Medan"
    assert resolution.origin.match == "outlet_address"
    assert resolution.message == (
        "Matched the address of AXIS Kiosk Medan Baru: Plaza Cendana Lt. 1, Jl. Cendana No. 3."
    )


def test_a_name_typed_with_its_accents_finds_the_outlet_stored_with_them(gazetteer):
    OutletFactory(code="CAFE", name="AXIS Store Café Sénayan", city="Jakarta Selatan")
    assert found("Café Sénayan") == "AXIS Store Café Sénayan, Jakarta Selatan"


def test_an_outlet_s_city_may_follow_its_name(gazetteer):
    grand_indonesia()
    assert found("Grand Indonesia, Jakarta") == "AXIS Store Grand Indonesia, Jakarta Pusat"
    assert found("AXIS Kiosk Grand Indonesia Jakarta Pusat") == (
        "AXIS Store Grand Indonesia, Jakarta Pusat"
    )


def test_a_street_address_typed_in_full_finds_the_outlet_there(gazetteer):
    add_place("village", "Braga", "Kota Bandung", rank=6_000, at=(-6.917, 107.609))
    OutletFactory(code="BRAGA", name="AXIS Kiosk Braga", address="Jl. Braga No. 12")
    resolution = find_place("Jalan Braga 12, Bandung")
    assert resolution.origin.label == "AXIS Kiosk Braga, Bandung"
    assert resolution.origin.match == "outlet_address"


def test_a_word_no_outlet_holds_leaves_the_text_to_the_gazetteer(gazetteer):
    add_place("city", "Jakarta", province="DKI Jakarta", rank=10_000_000, at=(-6.2, 106.8))
    grand_indonesia()
    add_place("city", "Surabaya", province="Jawa Timur", rank=3_000_000, at=(-7.25, 112.75))
    resolution = find_place("Grand Indonesia, Surabaya")
    assert (resolution.origin.label, resolution.unused) == (
        "Surabaya, Jawa Timur",
        "Grand Indonesia",
    )
    resolution = find_place("Jl. M.H. Thamrin, Jakarta Utara, Jakarta")
    assert resolution.origin.label == "Jakarta, DKI Jakarta"


def test_a_name_match_comes_before_an_address_match_and_the_others_are_alternatives(gazetteer):
    OutletFactory(
        code="THAMRIN",
        name="AXIS Kiosk Thamrin",
        address="Grand Indonesia West Mall Lt. 1",
        city="Jakarta Pusat",
    )
    grand_indonesia()
    resolution = find_place("grand indonesia")
    assert resolution.origin.label == "AXIS Store Grand Indonesia, Jakarta Pusat"
    assert [(o.label, o.match) for o in resolution.alternatives] == [
        ("AXIS Kiosk Thamrin, Jakarta Pusat", "outlet_address")
    ]


def test_among_name_matches_the_shortest_name_then_the_code_wins(gazetteer):
    grand_indonesia(code="B", name="AXIS Store Grand Indonesia 2")
    grand_indonesia(code="C", name="AXIS Kiosk Grand Indonesia", city="Jakarta")
    grand_indonesia(code="A", name="AXIS Store Grand Indonesia", city="Jakarta")
    resolution = find_place("Grand Indonesia")
    assert resolution.origin.label == "AXIS Store Grand Indonesia, Jakarta"
    assert [o.label for o in resolution.alternatives] == [
        "AXIS Kiosk Grand Indonesia, Jakarta",
        "AXIS Store Grand Indonesia 2, Jakarta Pusat",
    ]


def test_a_longer_phrase_of_an_address_beats_a_shorter_one_of_a_name(gazetteer):
    OutletFactory(code="A", name="AXIS Store Anggrek", address="Taman Residences, Anggrek")
    OutletFactory(code="B", name="AXIS Kiosk Tanjung Duren", address="Taman Anggrek Residences")
    assert found("Taman Anggrek Residences") == "AXIS Kiosk Tanjung Duren, Bandung"


def test_a_whole_place_name_still_beats_an_outlet_named_after_it(gazetteer):
    OutletFactory(name="AXIS Store Bandung")
    assert found("Bandung") == "Kota Bandung, Jawa Barat"


def test_a_place_the_whole_text_confirms_beats_an_outlet_at_that_place(gazetteer):
    OutletFactory(name="AXIS Kiosk Pasirkaliki", address="Jl. Pasirkaliki 10, Cicendo")
    assert found("Cicendo, Bandung") == "Cicendo, Kota Bandung, Jawa Barat"


def test_a_known_postcode_in_the_text_still_beats_an_outlet(gazetteer):
    grand_indonesia(postcode="40111")
    assert find_place("Grand Indonesia 40111").origin.source == "postcode"


def outlet_queries(q) -> list[str]:
    with CaptureQueriesContext(connection) as queries, contextlib.suppress(NotFound):
        find_place(q)
    return [query["sql"] for query in queries if '"locations_outlet"' in query["sql"]]


@pytest.mark.parametrize(
    "q", ["AXIS", "axis store", "Jl", "Jl. No. 12", "ab", "GI", "Mall", "Kota"]
)
def test_generic_or_short_text_does_not_look_for_outlets(q, gazetteer):
    grand_indonesia()
    OutletFactory(name="AXIS Store Ab", address="Mall Jl. No. 12")
    assert outlet_queries(q) == []
    with pytest.raises(NotFound):
        find_place(q)


def test_permanently_closed_outlets_are_not_matched(gazetteer):
    grand_indonesia(status=Outlet.Status.PERMANENTLY_CLOSED)
    with pytest.raises(NotFound):
        find_place("Grand Indonesia")
    grand_indonesia(code="GI2", status=Outlet.Status.TEMPORARILY_CLOSED)
    assert find_place("Grand Indonesia").origin.label.startswith("AXIS Store Grand Indonesia")


def test_outlets_of_another_country_are_not_matched(gazetteer):
    grand_indonesia(country="MY")
    with pytest.raises(NotFound):
        find_place("Grand Indonesia")


def test_many_matching_outlets_cost_one_bounded_query(gazetteer):
    Outlet.objects.bulk_create(
        Outlet(
            code=f"SC{n:03d}",
            slug=f"sc--sc{n:03d}",
            kind="kiosk",
            name=f"AXIS Kiosk Senayan City {n}",
            address="Senayan City Lt. 1",
            latitude=-6.2,
            longitude=106.8,
            timezone="Asia/Jakarta",
        )
        for n in range(300)
    )
    SearchChange.objects.record()  # bulk_create sends no signals
    search.current_index()
    sql = outlet_queries("Senayan City")
    assert len(sql) == 1 and "LIMIT 200" in sql[0]
    resolution = find_place("Senayan City")
    assert resolution.origin.label == "AXIS Kiosk Senayan City 0"
    assert len(resolution.alternatives) == geocoding.MAX_ALTERNATIVES


# --- Online (Nominatim, faked) ------------------------------------------------------------


def test_online_answer_becomes_a_place_origin_with_the_address(nominatim, gazetteer, clock):
    resolution = find_place("Jl. Braga 10, Bandung")
    assert resolution.origin == Origin(
        -6.917, 107.609, "Braga, Bandung, Jawa Barat, Indonesia", "place", None
    )
    assert resolution.message == ""


def test_online_query_is_limited_to_the_country(nominatim, gazetteer, clock):
    find_place("Jl. Braga 10, Bandung")
    assert nominatim.calls == [
        ("Jl. Braga 10, Bandung", {"country_codes": "id", "exactly_one": True})
    ]


def test_geocoder_is_built_once_from_the_settings(nominatim, gazetteer, clock, settings):
    settings.GEOCODER_USER_AGENT = "axisfinder/2.0 ops@example.id"
    settings.GEOCODER_TIMEOUT = 3
    settings.GEOCODER_DOMAIN = "nominatim.example.id"
    find_place("Braga")
    clock.now += 5
    find_place("Sumur Bandung")
    assert nominatim.built == [
        {
            "user_agent": "axisfinder/2.0 ops@example.id",
            "timeout": 3,
            "domain": "nominatim.example.id",
        }
    ]


def test_a_repeated_query_is_answered_from_the_cache(nominatim, gazetteer, clock):
    first = find_place("Jl. Braga 10, Bandung")
    clock.now += 5
    assert find_place("jl braga 10 bandung") == first
    assert len(nominatim.calls) == 1


def test_an_online_no_result_falls_back_to_the_offline_match(nominatim, gazetteer, clock):
    nominatim.answer = None
    resolution = find_place("Bandung")
    assert resolution.origin.label == "Kota Bandung, Jawa Barat"
    assert resolution.message == ""


def test_an_online_no_result_is_cached_too(nominatim, gazetteer, clock):
    nominatim.answer = None
    find_place("Bandung")
    clock.now += 5
    find_place("Bandung")
    assert len(nominatim.calls) == 1


@pytest.mark.parametrize(
    "failure",
    [
        exc.GeocoderTimedOut("timed out"),
        exc.GeocoderServiceError("HTTP 500"),
        exc.GeocoderUnavailable("unreachable"),
        exc.GeocoderRateLimited("HTTP 429"),
        exc.GeocoderQueryError("HTTP 400"),
        OSError("connection reset"),
        ValueError("bad JSON"),
    ],
)
def test_any_online_failure_falls_back_offline_with_a_message(failure, nominatim, gazetteer, clock):
    nominatim.answer = failure
    resolution = find_place("Bandung")
    assert (resolution.origin.label, resolution.message) == (
        "Kota Bandung, Jawa Barat",
        UNAVAILABLE,
    )


def test_an_online_failure_is_not_cached(nominatim, gazetteer, clock):
    nominatim.answer = exc.GeocoderTimedOut("timed out")
    find_place("Bandung")
    clock.now += 5
    find_place("Bandung")
    assert len(nominatim.calls) == 2


def test_online_failure_with_no_offline_match_says_both(nominatim, gazetteer, clock):
    nominatim.answer = exc.GeocoderUnavailable("unreachable")
    with pytest.raises(NotFound) as error:
        find_place("Bandugn")
    assert error.value.message.endswith(UNAVAILABLE)
    assert error.value.suggestions[0] == "Kota Bandung"


def test_an_online_failure_note_comes_before_the_offline_answer_s_own(nominatim, gazetteer, clock):
    nominatim.answer = exc.GeocoderTimedOut("timed out")
    resolution = find_place("Jl. Merdeka, Bandung")
    assert resolution.message == (
        f"{UNAVAILABLE} Showing results near Kota Bandung, Jawa Barat; “Jl. Merdeka” was "
        "not recognised."
    )


def test_an_online_answer_is_matched_from_the_whole_text(nominatim, gazetteer, clock):
    origin = find_place("Jl. Braga 10, Bandung").origin
    assert (origin.match, origin.matched) == ("online", "Jl. Braga 10, Bandung")


def test_an_empty_user_agent_is_refused_by_geopy_and_falls_back(gazetteer, settings, clock):
    settings.GEOCODER, settings.GEOCODER_USER_AGENT = "nominatim", ""  # the real geopy class
    assert find_place("Bandung").message == UNAVAILABLE


def test_offline_mode_never_builds_the_online_geocoder(nominatim, gazetteer, settings):
    settings.GEOCODER = "offline"
    find_place("Jl. Braga 10, Bandung")
    assert (nominatim.built, nominatim.calls) == ([], [])


def test_a_second_request_within_the_interval_waits_on_the_clock(nominatim, gazetteer, clock):
    find_place("Braga")
    clock.now += 0.4
    assert find_place("Sumur Bandung").message == ""
    assert clock.slept == [0.6]
    assert len(nominatim.calls) == 2


def test_a_slot_more_than_a_second_away_is_not_waited_for(nominatim, gazetteer, clock, settings):
    settings.GEOCODER_MIN_INTERVAL = 5
    find_place("Braga")
    resolution = find_place("Sumur Bandung")
    assert (resolution.origin.source, resolution.message) == ("place", UNAVAILABLE)
    assert (clock.slept, len(nominatim.calls)) == ([], 1)


def test_another_processs_request_holds_the_shared_gate(nominatim, gazetteer, clock):
    cache.set(geocoding.GATE_KEY, "other-host:4242", 10)
    assert find_place("Bandung").message == UNAVAILABLE
    assert nominatim.calls == []
    assert sum(clock.slept) <= geocoding.MAX_WAIT


def test_known_postcode_is_answered_offline_without_a_request(nominatim, gazetteer, clock):
    assert resolve(postcode="40111").origin.source == "postcode"
    assert nominatim.calls == []


def test_unknown_postcode_is_asked_online_as_a_structured_query(nominatim, gazetteer, clock):
    nominatim.answer = Location("40199, Bandung, Indonesia", (-6.88, 107.6), {})
    origin = resolve(postcode="40199").origin
    assert origin == Origin(-6.88, 107.6, "40199, Bandung, Indonesia", "postcode", None)
    assert nominatim.calls == [
        ({"postalcode": "40199"}, {"country_codes": "id", "exactly_one": True})
    ]


def test_unknown_postcode_online_failure_still_suggests_neighbours(nominatim, gazetteer, clock):
    nominatim.answer = exc.GeocoderTimedOut("timed out")
    with pytest.raises(NotFound) as error:
        resolve(postcode="40199")
    assert error.value.suggestions[:2] == ("40198", "40211")
    assert error.value.message.endswith("Online search is unavailable.")
