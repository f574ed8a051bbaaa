"""Turning coordinates, postcodes and place names into a search origin (no network)."""

import random
import time

import pytest
from django.core.cache import cache
from geopy import exc
from geopy.location import Location

from locations import geocoding
from locations.gazetteer import place_key
from locations.geocoding import InvalidQuery, NotFound, Origin, find_place, resolve
from locations.models import Place, PostcodeArea

UNAVAILABLE = "Online search is unavailable; showing the offline match."


def add_place(kind, name, city="", province="Jawa Barat", aliases=(), rank=0, at=(-6.9, 107.6)):
    """One place, with one row per name (aliases share the display name).

    As load_postcodes stores them: a city or regency is its own ``city``, a province its
    own ``province``.
    """
    city = name if kind in ("city", "regency") else city
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


def add_postcode(postcode, place, city="Kota Bandung", at=(-6.91, 107.61)):
    PostcodeArea.objects.create(
        postcode=postcode,
        latitude=at[0],
        longitude=at[1],
        place=place,
        city=city,
        province="Jawa Barat",
        precision="village",
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


def test_suggestions_over_twenty_thousand_names_take_tens_of_milliseconds(db):
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
    started = time.perf_counter()
    with pytest.raises(NotFound) as error:
        find_place("Kecamatan Sukarajayaa")
    assert time.perf_counter() - started < 0.1
    assert error.value.suggestions


def test_text_without_letters_or_digits_is_an_invalid_query(db):
    with pytest.raises(InvalidQuery) as error:
        find_place("?!")
    assert error.value.param == "q"


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
