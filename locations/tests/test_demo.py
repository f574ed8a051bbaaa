"""The demo outlets: the city table, the generator, the committed fixture and the command."""

import io
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from timezonefinder import TimezoneFinder

from locations import osm_hours
from locations.build import demo
from locations.build.demo import (
    CITIES,
    CSV_FIELDS,
    HOURS_PATTERNS,
    IDUL_FITRI_CLOSURE,
    KIOSK,
    MALL_HOURS,
    NYEPI,
    NYEPI_ROUND_THE_CLOCK,
    PAYMENT_METHODS,
    SERVICES,
    STORE,
    generate_outlets,
    write_csv,
)

FIXTURE = Path(__file__).resolve().parents[2] / demo.DEMO_FIXTURE

PROVINCES = {
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Bengkulu", "Lampung", "Kepulauan Bangka Belitung", "DKI Jakarta",
    "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Banten", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Tengah",
    "Papua Pegunungan", "Papua Selatan",
}  # fmt: skip
#: WIB (two IANA zones), WITA and WIT.
ZONE_GROUPS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}\Z")
# At most six decimals, written as the exporter writes floats (no trailing zeros).
DEGREES = re.compile(r"^-?[0-9]{1,3}\.[0-9]{1,6}\Z")
PHONE = re.compile(r"^\+62 [1-9][0-9]{1,2} [2-8][0-9]{5,7}\Z")
CITY_BY_NAME = {city.name: city for city in CITIES}


@cache
def outlets(count: int, seed: int) -> tuple[dict[str, str], ...]:
    return tuple(generate_outlets(count, seed=seed))


@cache
def finder() -> TimezoneFinder:
    return TimezoneFinder()


def pattern(kind: str, name: str) -> str:
    return next(p.opening_hours for p in HOURS_PATTERNS[kind] if p.name == name)


def without_nyepi(opening_hours: str) -> str:
    """The hours pattern an outlet was given, before Bali's Nyepi rules were added."""
    for rules in (NYEPI_ROUND_THE_CLOCK, NYEPI):
        opening_hours = opening_hours.replace(f"; {rules}", "")
    return opening_hours


def distance_km(latitude1, longitude1, latitude2, longitude2) -> float:
    phi1, phi2 = math.radians(latitude1), math.radians(latitude2)
    half_chord = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(longitude2 - longitude1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(half_chord))


# --- The city table ---------------------------------------------------------------------


def test_cities_cover_the_country():
    assert len(CITIES) >= 70
    assert len({city.name for city in CITIES}) == len(CITIES)
    provinces = {city.province for city in CITIES}
    assert provinces <= PROVINCES
    assert len(provinces) >= 30
    assert {ZONE_GROUPS[city.timezone] for city in CITIES} == {"WIB", "WITA", "WIT"}


@pytest.mark.parametrize("city", CITIES, ids=lambda city: city.name)
def test_city_zone_postcode_and_area_code(city):
    assert finder().timezone_at(lng=city.longitude, lat=city.latitude) == city.timezone
    assert re.fullmatch(r"[1-9][0-9]{4}", city.postcode)
    assert re.fullmatch(r"[1-9][0-9]{1,2}", city.area_code)
    assert -11 < city.latitude < 6 and 95 < city.longitude < 141  # Indonesia
    assert city.population > 0


# --- Generated rows ---------------------------------------------------------------------


def test_same_seed_same_rows_and_shorter_runs_are_prefixes():
    assert outlets(500, 7) == tuple(generate_outlets(500, seed=7))
    assert outlets(500, 7)[:120] == tuple(generate_outlets(120, seed=7))
    assert outlets(500, 7) != outlets(500, 8)


def test_rows_are_the_importer_columns_as_strings():
    from locations.importers import COLUMNS

    assert CSV_FIELDS == COLUMNS
    for row in outlets(2000, 1):
        assert tuple(row) == CSV_FIELDS
        assert all(isinstance(value, str) for value in row.values())
        assert row["country"] == "ID"
        city = CITY_BY_NAME[row["city"]]
        assert (row["province"], row["postcode"]) == (city.province, city.postcode)


def test_codes_are_unique_valid_and_numbered_in_order():
    rows = outlets(5000, 3)
    for number, row in enumerate(rows, start=1):
        assert CODE.match(row["code"])
        prefix = "AX-ST" if row["kind"] == STORE else "AX-KI"
        assert row["code"] == f"{prefix}-{number:06d}"
    assert len({row["code"].lower() for row in rows}) == len(rows)


def test_names_are_unique_and_say_what_the_outlet_is():
    rows = outlets(5000, 3)
    assert len({row["name"] for row in rows}) == len(rows)
    for row in rows:
        brand = "AXIS Store" if row["kind"] == STORE else "AXIS Kiosk"
        assert row["name"].startswith(f"{brand} {row['city']} ")
        assert row["address"]


@pytest.mark.parametrize("seed", [demo.DEMO_SEED, 0, 1, 99])
def test_the_first_300_have_a_bit_of_everything(seed):
    rows = outlets(300, seed)
    kinds = Counter(row["kind"] for row in rows)
    assert kinds[STORE] >= 100
    assert kinds[KIOSK] >= 150
    assert len({row["province"] for row in rows}) >= 25
    assert {row["city"] for row in rows} == set(CITY_BY_NAME)  # every city from 300 on
    assert {ZONE_GROUPS[row["timezone"]] for row in rows} == {"WIB", "WITA", "WIT"}
    hours = {without_nyepi(row["opening_hours"]) for row in rows}
    assert MALL_HOURS in hours
    assert "24/7" in hours
    assert "Mo-Su 22:00-02:00" in hours
    assert "Mo-Su 10:00-02:00" in hours
    assert pattern(STORE, "split_shift") in hours
    assert "Mo-Sa 09:00-17:00" in hours  # closed on Sunday
    assert "Mo-Sa 09:00-17:00; PH off" in hours
    assert f"{MALL_HOURS}; {IDUL_FITRI_CLOSURE}" in hours
    assert pattern(STORE, "friday_prayer") in hours
    assert pattern(STORE, "mall_christmas_eve") in hours
    statuses = Counter(row["status"] for row in rows)
    assert statuses[demo.TEMPORARILY_CLOSED] >= 3
    assert statuses[demo.PERMANENTLY_CLOSED] == 0


def test_shares_of_kinds_statuses_and_cities():
    rows = outlets(20000, 11)
    kinds = Counter(row["kind"] for row in rows)
    assert kinds[STORE] == 8000  # two stores in every five outlets
    statuses = Counter(row["status"] for row in rows)
    assert 0.015 < statuses[demo.TEMPORARILY_CLOSED] / len(rows) < 0.025
    assert 0.003 < statuses[demo.PERMANENTLY_CLOSED] / len(rows) < 0.006
    assert all(row["status"] != demo.PERMANENTLY_CLOSED for row in rows[:300])
    cities = Counter(row["city"] for row in rows)
    assert cities.most_common(1)[0][0] == "Jakarta"
    java = {"DKI Jakarta", "Banten", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur"}
    assert sum(1 for row in rows if row["province"] in java) > len(rows) / 2


def test_coordinates_are_near_their_city_with_at_most_six_decimals():
    for row in outlets(5000, 2) + tuple(generate_outlets(demo.DEMO_COUNT, seed=demo.DEMO_SEED)):
        assert DEGREES.match(row["latitude"]) and DEGREES.match(row["longitude"])
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        assert -90 <= latitude <= 90 and -180 <= longitude <= 180
        city = CITY_BY_NAME[row["city"]]
        assert distance_km(latitude, longitude, city.latitude, city.longitude) <= 25


def test_timezones_agree_with_timezonefinder():
    rows = outlets(5000, 4) + tuple(generate_outlets(demo.DEMO_COUNT, seed=demo.DEMO_SEED))
    for row in rows:
        zone = finder().timezone_at(lng=float(row["longitude"]), lat=float(row["latitude"]))
        assert row["timezone"] == zone == CITY_BY_NAME[row["city"]].timezone, row["code"]


def test_timezones_are_left_blank_only_on_request():
    assert all(row["timezone"] for row in outlets(5000, 6))
    blanked = tuple(generate_outlets(5000, seed=6, blank_timezone_share=0.1))
    assert 0.08 < sum(1 for row in blanked if not row["timezone"]) / len(blanked) < 0.12
    # Only the timezone cells change.
    for plain, blank in zip(outlets(5000, 6), blanked, strict=True):
        assert {**blank, "timezone": plain["timezone"]} == plain
    assert not any(row["timezone"] for row in generate_outlets(50, blank_timezone_share=1))


def test_bad_arguments_are_refused_at_once():
    with pytest.raises(ValueError, match="negative"):
        generate_outlets(-1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        generate_outlets(10, blank_timezone_share=1.5)
    assert list(generate_outlets(0)) == []


def test_services_payments_and_phones_fit_the_kind():
    store_services = {"esim_activation", "sim_replacement", "new_sim", "registration"}
    rows = outlets(5000, 8)
    for row in rows:
        services = row["services"].split(";")
        payments = row["payment_methods"].split(";")
        assert services == [slug for slug in SERVICES if slug in services]
        assert payments == [slug for slug in PAYMENT_METHODS if slug in payments]
        if row["kind"] == STORE:
            assert store_services | {"customer_service"} <= set(services)
            assert "cash" in payments
            assert PHONE.match(row["phone"])
            assert row["phone"].split()[1] == CITY_BY_NAME[row["city"]].area_code
        else:
            assert row["services"] in ("topup;data_package", "topup;data_package;new_sim")
            assert row["payment_methods"] in ("debit_card;qris", "debit_card;qris;ewallet")
            assert row["phone"] == "" or PHONE.match(row["phone"])
    kiosks = [row for row in rows if row["kind"] == KIOSK]
    assert sum(1 for row in kiosks if row["phone"]) < len(kiosks) / 4


# --- Opening hours ----------------------------------------------------------------------


def test_hours_patterns_are_named_weighted_and_canonical():
    for kind, patterns in HOURS_PATTERNS.items():
        assert kind in (STORE, KIOSK)
        assert len({p.name for p in patterns}) == len(patterns)
        for p in patterns:
            assert p.weight > 0 and p.sites
            assert osm_hours.render(osm_hours.parse(p.opening_hours)) == p.opening_hours


def test_every_generated_hours_text_is_canonical_and_from_its_kinds_patterns():
    patterns = {kind: {p.opening_hours for p in ps} for kind, ps in HOURS_PATTERNS.items()}
    seen = set()
    for row in outlets(5000, 9):
        text = row["opening_hours"]
        assert without_nyepi(text) in patterns[row["kind"]]
        if text not in seen:
            seen.add(text)
            assert osm_hours.render(osm_hours.parse(text)) == text


def test_bali_closes_for_nyepi():
    rows = [row for row in outlets(5000, 10) if row["province"] == "Bali"]
    assert rows
    for row in rows:
        text = row["opening_hours"]
        if "PH off" in text:
            assert "Mar 19" not in text  # Nyepi is a public holiday already
        elif text.startswith("24/7"):
            assert text == f"24/7; {NYEPI_ROUND_THE_CLOCK}"
        else:
            assert NYEPI in text
    elsewhere = [row for row in outlets(5000, 10) if row["province"] != "Bali"]
    assert not any("Mar 19" in row["opening_hours"] for row in elsewhere)


# --- The fixture and the command --------------------------------------------------------


def expected_csv(count: int, seed: int) -> str:
    stream = io.StringIO()
    write_csv(generate_outlets(count, seed=seed), stream)
    return stream.getvalue()


def test_the_demo_fixture_is_what_the_generator_writes_now():
    expected = expected_csv(demo.DEMO_COUNT, demo.DEMO_SEED)
    assert FIXTURE.read_bytes() == expected.encode("utf-8"), (
        "fixtures/demo_outlets.csv is stale: DJANGO_DEBUG=1 python manage.py generate_outlets "
        f"{demo.DEMO_COUNT} --seed {demo.DEMO_SEED} -o {demo.DEMO_FIXTURE}"
    )
    assert expected.count("\n") == demo.DEMO_COUNT + 1
    assert "\r" not in expected


def test_command_writes_csv_to_stdout_or_a_file(tmp_path):
    stdout = io.StringIO()
    call_command("generate_outlets", "25", "--seed", "3", stdout=stdout)
    assert stdout.getvalue() == expected_csv(25, 3)

    path = tmp_path / "outlets.csv"
    message = io.StringIO()
    call_command("generate_outlets", "25", "--seed", "3", "-o", str(path), stdout=message)
    assert path.read_text(encoding="utf-8") == expected_csv(25, 3)
    assert "25 outlets" in message.getvalue()


def test_command_refuses_a_negative_count():
    with pytest.raises(CommandError, match="negative"):
        call_command("generate_outlets", "-5")
