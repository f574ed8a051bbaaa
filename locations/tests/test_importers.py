"""Import and export of outlets: every bad row reported, nothing written, round trips exact."""

import csv
import io
import json
from datetime import date, time

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from locations.importers import (
    COLUMNS,
    CsvWriter,
    ImportFailed,
    escape_cell,
    export_outlets,
    import_outlets,
    read_outlets,
    unescape_cell,
    write_template,
)
from locations.models import OpeningRange, Outlet, SpecialHours

from .factories import OpeningRangeFactory, OutletFactory, SpecialHoursFactory
from .outlet_files import (
    DEMO_CSV,
    VALID,
    csv_bytes,
    feature,
    geojson_bytes,
    json_bytes,
    json_item,
    row,
)

#: A valid row that would rename the existing outlet: a rejected file must not apply it.
UPDATE_EXISTING = row(code="AX-EXISTING", name="Renamed")


def database_state():
    """Everything an import writes, to compare before and after."""
    return (
        list(Outlet.objects.order_by("code").values()),
        list(OpeningRange.objects.values_list("outlet__code", "weekday", "opens", "closes")),
        list(SpecialHours.objects.values_list("outlet__code", "start_date", "opens", "reason")),
        sorted(Outlet.services.through.objects.values_list("outlet__code", "service__slug")),
        sorted(Outlet.payment_methods.through.objects.values_list("outlet__code", "paymentmethod")),
    )


def rejected(data: bytes, fmt: str = "csv") -> list[str]:
    """The errors of a file that must be rejected; checks that nothing was written."""
    before = database_state()
    with pytest.raises(ImportFailed) as failure:
        import_outlets(data, fmt)
    assert database_state() == before
    assert Outlet.objects.get(code="AX-EXISTING").name == "AXIS Store Braga"
    return failure.value.errors


def export_text(fmt: str) -> str:
    out = io.StringIO()
    export_outlets(Outlet.objects.all(), fmt, out)
    return out.getvalue()


def exported_rows() -> dict[str, dict]:
    return {r["code"]: r for r in csv.DictReader(io.StringIO(export_text("csv")))}


@pytest.fixture
def existing(vocabularies):
    """An outlet already in the database, with hours, special hours and services."""
    outlet = OutletFactory(
        code="AX-EXISTING",
        name="AXIS Store Braga",
        services=["topup"],
        payment_methods=["cash"],
    )
    OpeningRangeFactory(outlet=outlet, weekday=0, opens=time(9), closes=time(17))
    SpecialHoursFactory(outlet=outlet)
    return outlet


# CSV: one hostile case each ------------------------------------------------------------


def test_bad_kind_is_reported_with_line_and_column(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(kind="shop"))) == [
        "line 3: kind: unknown kind 'shop' (store or kiosk)"
    ]


def test_empty_name_is_reported(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(name="  "))) == ["line 3: name: required"]


def test_latitude_91_is_reported(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(latitude="91"))) == [
        "line 3: latitude: 91 is out of range (-90 to 90)"
    ]


@pytest.mark.parametrize("value", ["NaN", "inf", "-inf", "1e309"])
def test_latitude_that_is_not_finite_is_reported(existing, value):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(latitude=value))) == [
        f"line 3: latitude: {value} is not a finite number"
    ]


def test_longitude_that_is_not_a_number_is_reported(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(longitude="107,6"))) == [
        "line 3: longitude: '107,6' is not a number"
    ]


@pytest.mark.parametrize("zone", ["WIB", "Asia/Nowhere"])
def test_unknown_time_zone_is_reported(existing, zone):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(timezone=zone))) == [
        f"line 3: timezone: unknown time zone '{zone}' (an IANA name such as Asia/Jakarta)"
    ]


def test_unknown_service_is_reported(existing):
    (error,) = rejected(csv_bytes(UPDATE_EXISTING, row(services="topup;karaoke")))
    assert error.startswith("line 3: services: unknown service 'karaoke' (known: topup, ")


def test_unknown_payment_method_is_reported(existing):
    (error,) = rejected(csv_bytes(UPDATE_EXISTING, row(payment_methods="cash;bitcoin")))
    assert error.startswith("line 3: payment_methods: unknown payment method 'bitcoin' (known: ")


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("Mo-Fr sunrise-18:00", "unsupported construct 'sunrise' in 'Mo-Fr sunrise-18:00'"),
        ("PH 10:00-14:00", "unsupported construct 'PH 10:00-14:00'"),
        ("Mo-Fr 09:00-12:00,11:00-13:00", "Mo: ranges overlap at 11:00"),
        ("", "required (write off for no regular hours)"),
    ],
)
def test_unparsable_opening_hours_are_reported_naming_the_construct(existing, hours, message):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(opening_hours=hours))) == [
        f"line 3: opening_hours: {message}"
    ]


def test_special_hours_reason_longer_than_the_database_holds_is_reported(existing):
    hours = f'Mo-Fr 09:00-17:00; 2026 Mar 20 off "{"x" * 121}"'
    assert rejected(csv_bytes(UPDATE_EXISTING, row(opening_hours=hours))) == [
        "line 3: opening_hours: the reason of 2026-03-20 is longer than 120 characters"
    ]


def test_nul_character_is_reported(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(name="AXIS\x00Store"))) == [
        "line 3: name: contains a NUL character"
    ]


def test_code_twice_in_one_file_names_the_first_line(existing):
    assert rejected(csv_bytes(row(), UPDATE_EXISTING, row(name="Again"))) == [
        "line 4: code: 'AX-NEW' is already on line 2"
    ]


def test_code_differing_only_in_case_counts_as_the_same_code(existing):
    assert rejected(csv_bytes(row(code="AX-NEW"), UPDATE_EXISTING, row(code="ax-new"))) == [
        "line 4: code: 'ax-new' is already on line 2"
    ]


def test_code_outside_the_pattern_is_reported(existing):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(code="AX NEW"))) == [
        "line 3: code: 'AX NEW' must be 1 to 32 letters, digits, - or _"
    ]


@pytest.mark.parametrize("code", ["clusters", "Clusters"])
def test_code_that_names_another_api_endpoint_is_reported(existing, code):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(code=code))) == [
        f"line 3: code: “{code}” is reserved: /api/v1/outlets/{code}/ is another endpoint."
    ]


@pytest.mark.parametrize("country", ["XX", "IDN", "I1"])
def test_country_that_is_not_an_iso_code_is_reported(existing, country):
    assert rejected(csv_bytes(UPDATE_EXISTING, row(country=country, postcode=""))) == [
        f"line 3: country: “{country}” is not an ISO 3166-1 alpha-2 country code such as ID."
    ]


@pytest.mark.parametrize(("country", "stored"), [("id", "ID"), ("sg", "SG"), ("", "ID")])
def test_country_is_read_in_any_case_and_stored_in_capitals(vocabularies, country, stored):
    import_outlets(csv_bytes(row(country=country, postcode="")), "csv")
    assert Outlet.objects.get(code="AX-NEW").country == stored


def test_missing_column_is_reported_on_line_1(existing):
    header = [name for name in COLUMNS if name != "phone"]
    assert rejected(csv_bytes(UPDATE_EXISTING, header=header)) == ["line 1: phone: missing column"]


def test_unknown_column_is_reported_on_line_1(existing):
    header = [*COLUMNS, "colour"]
    (error,) = rejected(csv_bytes({**UPDATE_EXISTING, "colour": "red"}, header=header))
    assert error.startswith("line 1: colour: unknown column (expected code, kind, name, ")


def test_columns_given_twice_are_reported_in_header_order(existing):
    header = [*COLUMNS, "phone", "city"]
    assert rejected(csv_bytes(header=header)) == [
        "line 1: city: column given twice",
        "line 1: phone: column given twice",
    ]


def test_malformed_quoting_is_reported_on_its_line(existing):
    text = csv_bytes(UPDATE_EXISTING).decode() + '"AX-NEW"x,store\n'
    assert rejected(text.encode()) == ["line 3: file: ',' expected after '\"'"]


def test_rows_after_malformed_quoting_are_still_checked(existing):
    bad = dict(row(code="AX-BAD"), kind="shop")
    text = csv_bytes(UPDATE_EXISTING, bad).decode() + '"AX-NEW"x,store\n' + '"AX-NEW2"y,kiosk\n'
    assert rejected(text.encode()) == [
        "line 3: kind: unknown kind 'shop' (store or kiosk)",
        "line 4: file: ',' expected after '\"'",
        "line 5: file: ',' expected after '\"'",
    ]


def test_row_with_the_wrong_number_of_cells_is_reported(existing):
    short = list(row().values())[:-1]
    assert rejected(csv_bytes(UPDATE_EXISTING, short)) == [
        "line 3: file: 15 cells, but the header has 16"
    ]


def test_file_that_is_not_utf8_names_the_line_of_the_bad_byte(existing):
    text = csv_bytes(UPDATE_EXISTING, row(), row(code="AX-CAFE", address="Jl. Café")).decode()
    assert rejected(text.encode("latin-1")) == [
        "line 4: file: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]


def test_empty_file_is_reported(existing):
    assert rejected(b"") == ["line 1: file: the file is empty; expected a header row"]


def test_file_with_a_byte_order_mark_is_accepted(vocabularies):
    result = import_outlets(b"\xef\xbb\xbf" + csv_bytes(row()), "csv")
    assert result.created == ["AX-NEW"]


def test_blank_lines_are_skipped(vocabularies):
    lines = csv_bytes(row(code="AX-1"), row(code="AX-2")).decode().splitlines()
    data = "\n".join([lines[0], "", lines[1], "   ", ",,,", "", lines[2], ""]).encode()
    assert import_outlets(data, "csv").created == ["AX-1", "AX-2"]


def test_line_numbers_count_blank_lines(existing):
    lines = csv_bytes(UPDATE_EXISTING, row(kind="shop")).decode().splitlines()
    data = "\n".join([lines[0], lines[1], "", "", lines[2], ""]).encode()
    assert rejected(data) == ["line 5: kind: unknown kind 'shop' (store or kiosk)"]


def test_every_bad_row_is_reported_in_file_order(existing):
    data = csv_bytes(
        row(code="AX-1", kind="shop"),
        UPDATE_EXISTING,
        row(code="AX-2", latitude="91", timezone="WIB"),
        row(code="AX-3"),
        row(code="AX-4", name=""),
    )
    assert rejected(data) == [
        "line 2: kind: unknown kind 'shop' (store or kiosk)",
        "line 4: latitude: 91 is out of range (-90 to 90)",
        "line 4: timezone: unknown time zone 'WIB' (an IANA name such as Asia/Jakarta)",
        "line 6: name: required",
    ]


def test_line_numbers_are_the_file_lines_after_a_quoted_multiline_cell(existing):
    data = csv_bytes(
        row(code="AX-1", address="Ruko Blok A\nLantai 2\nNo. 5"),
        UPDATE_EXISTING,
        row(code="AX-2", kind="shop"),
    )
    assert data.decode().splitlines()[5].startswith("AX-2,shop,")
    assert rejected(data) == ["line 6: kind: unknown kind 'shop' (store or kiosk)"]


# JSON and GeoJSON -----------------------------------------------------------------------


def test_json_errors_name_the_item_and_field(existing):
    data = json_bytes(json_item(UPDATE_EXISTING), json_item(row(latitude="91", kind="shop")))
    assert rejected(data, "json") == [
        "item 2: kind: unknown kind 'shop' (store or kiosk)",
        "item 2: latitude: 91.0 is out of range (-90 to 90)",
    ]


def test_json_unknown_field_is_reported(existing):
    data = json_bytes(json_item(UPDATE_EXISTING), {**json_item(row()), "colour": "red"})
    assert rejected(data, "json") == ["item 2: colour: unknown field"]


def test_json_item_that_is_not_an_object_is_reported(existing):
    data = json_bytes(json_item(UPDATE_EXISTING), ["AX-NEW", "store"])
    assert rejected(data, "json") == ["item 2: item: expected an object"]


def test_json_number_too_large_for_a_float_is_reported(existing):
    data = json.dumps([json_item(UPDATE_EXISTING), {**json_item(row()), "latitude": 10**400}])
    (error,) = rejected(data.encode(), "json")
    assert error.startswith("item 2: latitude: 1000")
    assert error.endswith("... is not a finite number")


def test_json_service_that_is_not_a_string_is_reported(existing):
    data = json_bytes(json_item(UPDATE_EXISTING), {**json_item(row()), "services": [["topup"]]})
    assert rejected(data, "json") == ["item 2: services: expected a slug, not ['topup']"]


def test_text_that_is_not_json_is_reported_with_its_line(existing):
    (error,) = rejected(b'[\n{"code": "AX-NEW",\n"kind": }\n]', "json")
    assert error.startswith("line 3: file: not valid JSON (Expecting value")


def test_json_nan_is_refused(existing):
    (error,) = rejected(b'[{"code": "AX-NEW", "latitude": NaN}]', "json")
    assert error == "line 1: file: not valid JSON (NaN is not a number JSON allows)"


def test_json_that_is_not_an_array_is_reported(existing):
    assert rejected(json.dumps(json_item(row())).encode(), "json") == [
        "line 1: file: expected a JSON array of outlets"
    ]


def test_geojson_that_is_not_a_feature_collection_is_reported(existing):
    assert rejected(json_bytes(feature(json_item(row()))), "geojson") == [
        "line 1: type: expected a GeoJSON FeatureCollection"
    ]


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "LineString", "coordinates": [[107.6, -6.9], [107.7, -6.8]]},
        {"type": "Point", "coordinates": [107.6]},
    ],
    ids=["null", "line", "one coordinate"],
)
def test_geojson_feature_without_point_geometry_is_reported(existing, geometry):
    bad = {**feature(json_item(row())), "geometry": geometry}
    data = geojson_bytes(feature(json_item(UPDATE_EXISTING)), bad)
    assert rejected(data, "geojson") == [
        "item 2: geometry: expected a Point with [longitude, latitude]"
    ]


def test_geojson_errors_name_the_item_and_property(existing):
    data = geojson_bytes(feature(json_item(UPDATE_EXISTING)), feature(json_item(row(name=""))))
    assert rejected(data, "geojson") == ["item 2: name: required"]


def test_json_services_given_as_a_list_are_imported(vocabularies):
    item = {**json_item(row()), "services": ["new_sim", "topup"], "payment_methods": ["qris"]}
    import_outlets(json_bytes(item), "json")
    outlet = Outlet.objects.get(code="AX-NEW")
    assert sorted(outlet.services.values_list("slug", flat=True)) == ["new_sim", "topup"]
    assert list(outlet.payment_methods.values_list("slug", flat=True)) == ["qris"]


def test_geojson_takes_the_coordinates_from_the_point(vocabularies):
    import_outlets(geojson_bytes(feature(json_item(row()))), "geojson")
    outlet = Outlet.objects.get(code="AX-NEW")
    assert (outlet.latitude, outlet.longitude) == (-6.8915, 107.6107)


# Dry run and upsert ---------------------------------------------------------------------


def test_dry_run_reports_what_would_change_and_writes_nothing(existing):
    before = database_state()
    result = import_outlets(csv_bytes(row(), UPDATE_EXISTING), "csv", dry_run=True)
    assert (result.created, result.updated) == (["AX-NEW"], ["AX-EXISTING"])
    assert database_state() == before


def test_dry_run_still_rejects_a_bad_file(existing):
    with pytest.raises(ImportFailed) as failure:
        import_outlets(csv_bytes(row(kind="shop")), "csv", dry_run=True)
    assert failure.value.errors == ["line 2: kind: unknown kind 'shop' (store or kiosk)"]


def test_reimport_updates_the_fields_of_an_existing_outlet(existing):
    result = import_outlets(csv_bytes(UPDATE_EXISTING), "csv")
    assert (result.created, result.updated) == ([], ["AX-EXISTING"])
    outlet = Outlet.objects.get(pk=existing.pk)
    assert (outlet.name, outlet.postcode, outlet.phone, outlet.slug) == (
        "Renamed",
        "40132",
        "+62 22 4201234",
        "renamed--ax-existing",
    )


def test_reimport_replaces_weekly_and_special_hours(existing):
    hours = "Mo-Sa 09:00-21:00; 2026 Dec 24 10:00-15:00; PH off"
    import_outlets(csv_bytes({**UPDATE_EXISTING, "opening_hours": hours}), "csv")
    outlet = Outlet.objects.get(pk=existing.pk)
    assert list(outlet.opening_ranges.values_list("weekday", "opens", "closes")) == [
        (day, time(9), time(21)) for day in range(6)
    ]
    assert list(outlet.special_hours.values_list("start_date", "opens", "closes")) == [
        (date(2026, 12, 24), time(10), time(15))
    ]
    assert outlet.closed_on_public_holidays


def test_reimport_replaces_services_and_payment_methods(existing):
    import_outlets(csv_bytes(UPDATE_EXISTING), "csv")
    outlet = Outlet.objects.get(pk=existing.pk)
    assert list(outlet.services.values_list("slug", flat=True)) == ["topup", "sim_replacement"]
    assert list(outlet.payment_methods.values_list("slug", flat=True)) == ["cash", "qris"]


def test_importing_the_same_file_twice_creates_no_duplicates(existing):
    data = csv_bytes(row(), UPDATE_EXISTING)
    import_outlets(data, "csv")
    once = database_state()
    result = import_outlets(data, "csv")
    assert (result.created, result.updated) == ([], ["AX-NEW", "AX-EXISTING"])
    assert database_state()[1:] == once[1:]
    assert Outlet.objects.count() == 2
    assert OpeningRange.objects.count() == 12


def test_import_leaves_outlets_not_in_the_file_alone(existing):
    other = OutletFactory(code="AX-OTHER", name="Untouched")
    OpeningRangeFactory(outlet=other, weekday=6, opens=time(10), closes=time(14))
    before = Outlet.objects.filter(code="AX-OTHER").values().get()
    import_outlets(csv_bytes(UPDATE_EXISTING), "csv")
    assert Outlet.objects.filter(code="AX-OTHER").values().get() == before
    assert list(other.opening_ranges.values_list("weekday", "opens", "closes")) == [
        (6, time(10), time(14))
    ]


def test_import_by_code_in_another_case_updates_the_existing_outlet(existing):
    result = import_outlets(csv_bytes({**UPDATE_EXISTING, "code": "ax-existing"}), "csv")
    assert result.updated == ["ax-existing"]
    assert Outlet.objects.count() == 1


# Round trips and export -----------------------------------------------------------------


#: Texts a spreadsheet would run as formulas, and texts of quotes around them: each must
#: come back from an export exactly as stored.
FORMULA_ROWS = (
    row(code="AX-F1", name='=HYPERLINK("http://example.com","x")', city="@SUM(A1)"),
    row(code="-AX-F2", name="'=1+1", address="-x", province="+x"),
    row(code="AX-F3", name="''=1+1", address="'s-Hertogenbosch", city="'", phone="'+62 21 555"),
    row(code="AX-F4", name="''quoted''", address="a=b", city="'@x", province="'-"),
)


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_export_import_into_empty_database_and_export_again_gives_the_same_file(vocabularies, fmt):
    import_outlets(DEMO_CSV.read_bytes(), "csv")
    import_outlets(csv_bytes(*FORMULA_ROWS), "csv")
    first = export_text(fmt)
    Outlet.objects.all().delete()
    assert import_outlets(first.encode("utf-8"), fmt).total == 320 + len(FORMULA_ROWS)
    assert export_text(fmt) == first


def test_csv_export_of_the_demo_file_reproduces_its_rows_ordered_by_code(vocabularies):
    import_outlets(DEMO_CSV.read_bytes(), "csv")
    header, *rows = DEMO_CSV.read_text(encoding="utf-8").splitlines()
    # The demo file writes phone numbers as they are (+62 ...); export puts a quote before.
    expected = [line.replace(",+62 ", ",'+62 ") for line in sorted(rows)]
    assert expected != sorted(rows)
    assert export_text("csv").splitlines() == [header, *expected]


def test_formula_looking_text_is_stored_as_written_and_exported_with_a_quote(vocabularies):
    formulas = {
        "name": '=HYPERLINK("x")',
        "phone": "+62 21 555",
        "address": "-x",
        "city": "@sum",
    }
    import_outlets(csv_bytes(row(**formulas)), "csv")
    outlet = Outlet.objects.values(*formulas).get(code="AX-NEW")
    assert outlet == formulas
    assert '"\'=HYPERLINK(""x"")"' in export_text("csv")
    exported = exported_rows()["AX-NEW"]
    assert {name: exported[name] for name in formulas} == {
        name: "'" + text for name, text in formulas.items()
    }


def test_import_takes_off_the_quote_export_put_before_a_formula(vocabularies):
    cells = {
        "name": "'=1+1",
        "address": "''=1+1",
        "city": "'s-Hertogenbosch",
        "province": "''quoted''",
        "phone": "'+62 21 555",
    }
    import_outlets(csv_bytes(row(**cells)), "csv")
    assert Outlet.objects.values(*cells).get() == {
        "name": "=1+1",
        "address": "'=1+1",
        "city": "'s-Hertogenbosch",
        "province": "''quoted''",
        "phone": "+62 21 555",
    }


def test_json_files_keep_formula_text_and_quotes_as_they_are(vocabularies):
    import_outlets(json_bytes(json_item(row(name="'=1+1", phone="+62 21 555"))), "json")
    assert Outlet.objects.values_list("name", "phone").get() == ("'=1+1", "+62 21 555")
    exported = json.loads(export_text("json"))[0]
    assert (exported["name"], exported["phone"]) == ("'=1+1", "+62 21 555")


def test_negative_coordinates_are_written_as_numbers_without_a_quote(vocabularies):
    import_outlets(csv_bytes(row(latitude="-6.9", longitude="-70.5")), "csv")
    exported = exported_rows()["AX-NEW"]
    assert (exported["latitude"], exported["longitude"]) == ("-6.9", "-70.5")


def test_a_quoted_number_is_not_a_coordinate(vocabularies):
    with pytest.raises(ImportFailed) as failure:
        import_outlets(csv_bytes(row(latitude="'-6.9")), "csv")
    assert failure.value.errors == ['line 2: latitude: "\'-6.9" is not a number']


#: Texts made mostly of quotes and formula characters, where the rule could go wrong.
tricky_text = st.text() | st.text(alphabet="'=+-@\t\r a\"", max_size=8)
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


@given(tricky_text)
def test_unescaping_an_escaped_text_gives_the_text(text):
    assert unescape_cell(escape_cell(text)) == text


@given(tricky_text)
def test_an_escaped_text_never_starts_with_a_formula_character(text):
    assert not escape_cell(text).startswith(FORMULA_CHARACTERS)


@given(tricky_text)
def test_export_import_export_of_a_cell_is_identical(text):
    cell = escape_cell(text)
    assert escape_cell(unescape_cell(cell)) == cell


@given(st.lists(tricky_text, min_size=1, max_size=4))
def test_escaped_texts_come_back_through_a_csv_file(texts):
    out = io.StringIO()
    CsvWriter(out).writerow([escape_cell(t) for t in texts])
    assert out.getvalue().endswith("\n")
    cells = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert [[unescape_cell(cell) for cell in line] for line in cells] == [texts]


def test_a_carriage_return_inside_a_cell_survives_export_and_import(vocabularies):
    OutletFactory(code="AX-CR", name="Toko\rBaru", address="Jl. Braga\r\n10")
    first = export_text("csv")
    assert '"Toko\rBaru"' in first
    Outlet.objects.all().delete()
    import_outlets(first.encode("utf-8"), "csv")
    assert Outlet.objects.values_list("name", "address").get() == ("Toko\rBaru", "Jl. Braga\r\n10")
    assert export_text("csv") == first


def test_blank_timezone_is_derived_and_written_on_export(vocabularies):
    # Makassar: WITA.
    import_outlets(csv_bytes(row(timezone="", latitude="-5.1477", longitude="119.4327")), "csv")
    assert Outlet.objects.get(code="AX-NEW").timezone == "Asia/Makassar"
    assert exported_rows()["AX-NEW"]["timezone"] == "Asia/Makassar"


def test_export_writes_every_column_as_stored(existing):
    import_outlets(csv_bytes(row(opening_hours="Mo-Fr 09:00-17:00; PH off")), "csv")
    assert exported_rows()["AX-NEW"] == {
        **VALID,
        "phone": "'" + VALID["phone"],  # +62: a formula to a spreadsheet
        "opening_hours": "Mo-Fr 09:00-17:00; PH off",
    }


def test_export_queries_do_not_grow_with_the_outlets(vocabularies, django_assert_num_queries):
    for _ in range(3):
        outlet = OutletFactory(services=["topup"], payment_methods=["cash"])
        OpeningRangeFactory(outlet=outlet)
        SpecialHoursFactory(outlet=outlet)
    # The outlets, then their ranges, special hours, services and payment methods.
    with django_assert_num_queries(5):
        assert export_outlets(Outlet.objects.all(), "csv", io.StringIO()) == 3


def test_demo_import_creates_320_outlets_with_their_hours(vocabularies):
    result = import_outlets(DEMO_CSV.read_bytes(), "csv")
    assert len(result.created) == 320
    assert Outlet.objects.count() == 320
    # AX-ST-000022: "Mo-Sa 09:00-17:00; 2026 Mar 20-2026 Mar 24 off "Idul Fitri";
    # 2026 Dec 24 09:00-13:00; PH off"
    outlet = Outlet.objects.get(code="AX-ST-000022")
    assert outlet.opening_ranges.count() == 6
    assert list(outlet.special_hours.values_list("start_date", "end_date", "opens", "reason")) == [
        (date(2026, 3, 20), date(2026, 3, 24), None, "Idul Fitri"),
        (date(2026, 12, 24), date(2026, 12, 24), time(9), ""),
    ]
    assert outlet.closed_on_public_holidays
    assert outlet.services.count() == 7
    assert Outlet.objects.get(code="AX-KI-000001").opening_ranges.count() == 7


# Files saved by a spreadsheet in an Indonesian locale ----------------------------------


def spreadsheet_csv(*rows, delimiter=";", decimal_comma=True) -> bytes:
    """A CSV file as a spreadsheet with a decimal comma saves it: ``;`` between cells,
    a comma in the coordinates, a byte-order mark and Windows line endings."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in rows:
        cells = dict(item)
        for name in ("latitude", "longitude"):
            if decimal_comma:
                cells[name] = cells[name].replace(".", ",")
        writer.writerow([cells[name] for name in COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def imported_state(data: bytes) -> list:
    """What importing ``data`` into an empty database writes, timestamps aside."""
    import_outlets(data, "csv")
    outlets, *children = database_state()
    for outlet in outlets:
        del outlet["id"], outlet["created_at"], outlet["updated_at"]
    Outlet.objects.all().delete()
    return [outlets, [sorted(map(str, rows)) for rows in children]]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_spreadsheet_file_with_decimal_commas_imports_like_the_comma_file(vocabularies, delimiter):
    rows = [row(code="AX-1"), row(code="AX-2", latitude="-6.917464", longitude="107.619123")]
    assert imported_state(spreadsheet_csv(*rows, delimiter=delimiter)) == imported_state(
        csv_bytes(*rows)
    )


def test_decimal_comma_is_read_as_a_decimal_point(vocabularies):
    import_outlets(spreadsheet_csv(row(latitude="-6.917464", longitude="107.619123")), "csv")
    outlet = Outlet.objects.get(code="AX-NEW")
    assert (outlet.latitude, outlet.longitude) == (-6.917464, 107.619123)


def test_semicolon_file_with_decimal_points_imports_too(vocabularies):
    data = spreadsheet_csv(row(), decimal_comma=False)
    assert import_outlets(data, "csv").created == ["AX-NEW"]
    assert Outlet.objects.get().latitude == -6.8915


def test_unreadable_decimal_in_a_semicolon_file_names_line_and_column(existing):
    assert rejected(spreadsheet_csv(UPDATE_EXISTING, row(latitude="-6.917.464"))) == [
        "line 3: latitude: '-6,917,464' is not a number"
    ]


def test_out_of_range_decimal_comma_is_reported(existing):
    assert rejected(spreadsheet_csv(UPDATE_EXISTING, row(longitude="181.5"))) == [
        "line 3: longitude: 181.5 is out of range (-180 to 180)"
    ]


def test_semicolon_file_missing_a_column_reports_only_that_column(existing):
    header = spreadsheet_csv().decode("utf-8-sig").replace(";phone", "")
    assert rejected(header.encode()) == ["line 1: phone: missing column"]


def test_byte_order_mark_and_windows_line_endings_are_accepted(vocabularies):
    lines = csv_bytes(row(code="AX-1"), row(code="AX-2")).decode().splitlines()
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n"
    assert import_outlets(data, "csv").created == ["AX-1", "AX-2"]
    assert Outlet.objects.get(code="AX-2").status == "active"


def test_import_outlets_command_accepts_the_semicolon_file(vocabularies, tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_bytes(spreadsheet_csv(row(latitude="-6.917464")))
    out = io.StringIO()
    call_command("import_outlets", str(path), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "1 outlet(s) created, 0 updated\n"
    assert Outlet.objects.get(code="AX-NEW").latitude == -6.917464


def test_template_file_has_the_header_and_an_example_row_that_imports(vocabularies):
    out = io.StringIO()
    write_template(out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == ",".join(COLUMNS)
    records = read_outlets(out.getvalue().encode(), "csv")
    assert [(r.code, r.phone) for r in records] == [("AX-BDG-001", "+62 22 4201234")]
    assert ",'+62 22 4201234," in lines[1]  # a formula to a spreadsheet, made inert


def test_saving_reports_its_two_stages_and_writes_hours_chunk_by_chunk(existing, monkeypatch):
    monkeypatch.setattr("locations.importers.CHILDREN_CHUNK", 2)
    rows = [{**UPDATE_EXISTING, "opening_hours": "Mo 08:00-12:00"}] + [
        row(code=f"AX-NEW-{n}", opening_hours="Tu 10:00-14:00") for n in range(4)
    ]
    heard = []

    def stage(total, label):
        heard.append((label, total, []))
        return heard[-1][2].append

    result = import_outlets(csv_bytes(*rows), "csv", stage=stage)
    assert (len(result.created), result.updated) == (4, ["AX-EXISTING"])
    assert heard == [
        ("saving outlets", 5, [4, 5]),
        ("writing hours, services and payments", 5, [2, 4, 5]),
    ]
    # The existing outlet's old hours went; every outlet has exactly the file's.
    assert list(
        OpeningRange.objects.order_by("outlet__code").values_list("outlet__code", "weekday")
    ) == [("AX-EXISTING", 0)] + [(f"AX-NEW-{n}", 1) for n in range(4)]
