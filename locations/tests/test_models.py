"""The outlet models: database constraints, validation, derived fields, querysets, hours."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from locations import gazetteer, hours, kinds
from locations.hours import DatedRule, TimeRange
from locations.models import (
    HolidayDate,
    OpeningRange,
    Outlet,
    Place,
    Precision,
    SearchChange,
    SpecialHours,
)

from .factories import HolidayDateFactory, OpeningRangeFactory, OutletFactory, SpecialHoursFactory

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def violated_constraint(make) -> str:
    """The database error text when ``make()`` writes a row that breaks a constraint."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make()
    return str(error.value)


# Database constraints: they hold even when clean() is bypassed --------------------------


def test_database_rejects_latitude_91():
    assert "outlet_latitude_range" in violated_constraint(lambda: OutletFactory(latitude=91))


def test_database_rejects_longitude_minus_181():
    assert "outlet_longitude_range" in violated_constraint(lambda: OutletFactory(longitude=-181))


def test_database_rejects_latitude_91_from_bulk_create():
    outlet = OutletFactory.build(latitude=91, slug="x-ax-1")
    assert "outlet_latitude_range" in violated_constraint(
        lambda: Outlet.objects.bulk_create([outlet])
    )


@pytest.mark.parametrize(
    "code",
    ["AX 1", "AX-1\n", ""],
    ids=["space", "trailing newline", "empty"],
)
def test_database_rejects_code_outside_the_pattern(code):
    assert "outlet_code_pattern" in violated_constraint(lambda: OutletFactory(code=code))


def test_database_rejects_code_of_33_characters():
    # SQLite ignores the column length, so the pattern catches it; PostgreSQL's varchar(32)
    # refuses it first.
    with pytest.raises(DatabaseError), transaction.atomic():
        OutletFactory(code="A" * 33)


def test_database_accepts_code_of_32_characters():
    assert OutletFactory(code="A" * 32).code == "A" * 32


def test_database_rejects_unknown_kind():
    assert "outlet_kind_valid" in violated_constraint(lambda: OutletFactory(kind="shop"))


def test_database_rejects_unknown_status():
    assert "outlet_status_valid" in violated_constraint(lambda: OutletFactory(status="closed"))


def test_database_rejects_code_that_differs_only_in_case():
    OutletFactory(code="AX-BDG-1")
    assert "outlet_code_unique_any_case" in violated_constraint(
        lambda: OutletFactory(code="ax-bdg-1")
    )


@pytest.mark.parametrize("code", ["clusters", "Clusters", "CLUSTERS"])
def test_database_rejects_a_code_that_names_another_api_endpoint(code):
    assert "outlet_code_not_reserved" in violated_constraint(lambda: OutletFactory(code=code))


@pytest.mark.parametrize("country", ["id", "Id", "I1", "I"])
def test_database_rejects_a_country_that_is_not_two_capital_letters(country):
    assert "outlet_country_pattern" in violated_constraint(
        lambda: OutletFactory(country=country, postcode="")
    )


def test_database_rejects_special_hours_ending_before_they_start():
    assert "special_hours_dates_in_order" in violated_constraint(
        lambda: SpecialHoursFactory(start_date=date(2026, 3, 24), end_date=date(2026, 3, 20))
    )


def test_database_rejects_special_hours_that_open_without_closing():
    assert "special_hours_times_paired" in violated_constraint(
        lambda: SpecialHoursFactory(opens=time(10), closes=None)
    )


# full_clean() -------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Nowhere", "WIB"])
def test_full_clean_rejects_a_zone_that_is_not_iana(zone):
    outlet = OutletFactory()
    outlet.timezone = zone
    with pytest.raises(ValidationError) as error:
        outlet.full_clean()
    assert error.value.message_dict == {
        "timezone": [f"“{zone}” is not an IANA time zone such as Asia/Jakarta."]
    }


@pytest.mark.parametrize("postcode", ["4011", "401111", "4011A"])
def test_full_clean_rejects_indonesian_postcode_not_five_digits(postcode):
    outlet = OutletFactory()
    outlet.postcode = postcode
    with pytest.raises(ValidationError) as error:
        outlet.full_clean()
    assert error.value.message_dict == {"postcode": ["An Indonesian postcode has five digits."]}


@pytest.mark.parametrize("code", ["clusters", "Clusters"])
def test_full_clean_rejects_a_code_that_names_another_api_endpoint(code):
    outlet = OutletFactory.build(code=code)
    with pytest.raises(ValidationError) as error:
        outlet.full_clean(exclude=["slug"])
    assert error.value.message_dict == {
        "code": [f"“{code}” is reserved: /api/v1/outlets/{code}/ is another endpoint."]
    }


def test_full_clean_accepts_a_code_that_only_contains_a_reserved_word():
    OutletFactory.build(code="clusters-1").full_clean(exclude=["slug"])


@pytest.mark.parametrize("country", ["id", "Id", "iD"])
def test_full_clean_rejects_a_country_in_lower_case_naming_the_capitals(country):
    outlet = OutletFactory.build(country=country)
    with pytest.raises(ValidationError) as error:
        outlet.full_clean(exclude=["slug"])
    assert error.value.message_dict == {"country": ["Write the country code in capitals: “ID”."]}


@pytest.mark.parametrize("country", ["XX", "AA", "I1", "IDN"])
def test_full_clean_rejects_a_country_that_is_not_an_iso_code(country):
    outlet = OutletFactory.build(country=country, postcode="")
    with pytest.raises(ValidationError) as error:
        outlet.full_clean(exclude=["slug"])
    assert list(error.value.message_dict) == ["country"]
    # IDN is also too long, in Django's own words.
    assert (
        f"“{country}” is not an ISO 3166-1 alpha-2 country code such as ID."
        in error.value.message_dict["country"]
    )


@pytest.mark.parametrize("country", ["ID", "SG", "MY", "TL", "XK"])
def test_full_clean_accepts_an_iso_country_code(country):
    OutletFactory.build(country=country, postcode="").full_clean(exclude=["slug"])


def test_full_clean_accepts_other_postcodes_outside_indonesia():
    outlet = OutletFactory(country="SG", postcode="018956", timezone="Asia/Singapore")
    outlet.full_clean()


def test_full_clean_rejects_a_quote_in_a_special_hours_reason():
    # OSM opening_hours cannot hold it: the export and the admin page would fail.
    special = SpecialHoursFactory(reason="Hari Raya")
    special.reason = 'Hari "Raya"'
    with pytest.raises(ValidationError) as error:
        special.full_clean()
    assert list(error.value.message_dict) == ["reason"]


# Derived fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (-6.2088, 106.8456, "Asia/Jakarta"),  # Jakarta, WIB
        (-5.1477, 119.4327, "Asia/Makassar"),  # Makassar, WITA
        (-2.5337, 140.7181, "Asia/Jayapura"),  # Jayapura, WIT
    ],
)
def test_blank_timezone_is_derived_from_the_coordinates_on_save(latitude, longitude, zone):
    outlet = OutletFactory(latitude=latitude, longitude=longitude, timezone="")
    outlet.refresh_from_db()
    assert outlet.timezone == zone


def test_blank_timezone_is_derived_by_full_clean():
    outlet = OutletFactory.build(latitude=-5.1477, longitude=119.4327, timezone="")
    outlet.full_clean(exclude=["slug"])
    assert outlet.timezone == "Asia/Makassar"


def test_given_timezone_is_kept():
    outlet = OutletFactory(latitude=-6.2088, longitude=106.8456, timezone="Asia/Pontianak")
    outlet.refresh_from_db()
    assert outlet.timezone == "Asia/Pontianak"


def test_slug_is_derived_from_name_and_code():
    outlet = OutletFactory(code="AX-ST-000002", name="AXIS Store Sibolga Hasanuddin")
    assert outlet.slug == "axis-store-sibolga-hasanuddin--ax-st-000002"
    assert outlet.get_absolute_url() == "/outlets/axis-store-sibolga-hasanuddin--ax-st-000002/"


def test_slug_follows_a_renamed_outlet():
    outlet = OutletFactory(code="AX-1", name="Old Name")
    outlet.name = "New Name"
    outlet.save()
    outlet.refresh_from_db()
    assert outlet.slug == "new-name--ax-1"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("1", "AXIS Store Mall"), ("Mall-1", "AXIS Store")),
        (("a_", "X"), ("a", "X")),
        (("a--b", "X"), ("b", "X a")),
    ],
)
def test_different_outlets_never_share_a_slug(first, second):
    assert Outlet.slug_for(*first) != Outlet.slug_for(*second)


def test_code_is_read_back_from_the_slug():
    assert Outlet.code_from_slug(Outlet.slug_for("AX-ST_1", "AXIS -- Store")) == "ax-st_1"


# Queryset methods -----------------------------------------------------------------------


def codes(queryset) -> list[str]:
    return list(queryset.values_list("code", flat=True))


@pytest.mark.parametrize("code", ["AX-Braga", "ax-braga", "AX-BRAGA"])
def test_with_code_finds_the_outlet_whatever_the_case(code):
    OutletFactory(code="AX-Braga")
    OutletFactory(code="AX-Bragas")
    assert codes(Outlet.objects.with_code(code)) == ["AX-Braga"]


def test_with_code_takes_no_wildcards():
    OutletFactory(code="AX_1")
    OutletFactory(code="AXB1")
    assert codes(Outlet.objects.with_code("ax_1")) == ["AX_1"]


def test_searchable_leaves_out_permanently_closed_outlets():
    OutletFactory(code="A", status=Outlet.Status.ACTIVE)
    OutletFactory(code="T", status=Outlet.Status.TEMPORARILY_CLOSED)
    OutletFactory(code="P", status=Outlet.Status.PERMANENTLY_CLOSED)
    assert codes(Outlet.objects.searchable()) == ["A", "T"]


# Holiday calendars ----------------------------------------------------------------------


def test_calendar_adds_a_date_staff_marked_as_holiday():
    assert date(2026, 11, 30) not in HolidayDate.objects.calendar("ID")
    HolidayDateFactory(date=date(2026, 11, 30), is_holiday=True)
    assert date(2026, 11, 30) in HolidayDate.objects.calendar("ID")


def test_calendar_removes_a_date_staff_marked_as_not_a_holiday():
    assert date(2026, 8, 17) in HolidayDate.objects.calendar("ID")  # Independence Day
    HolidayDateFactory(date=date(2026, 8, 17), is_holiday=False)
    assert date(2026, 8, 17) not in HolidayDate.objects.calendar("ID")


def test_calendar_ignores_corrections_for_other_countries():
    HolidayDateFactory(country="MY", date=date(2026, 11, 30))
    assert date(2026, 11, 30) not in HolidayDate.objects.calendar("ID")


# Status and hours from rows -------------------------------------------------------------


def weekday_outlet(**kwargs) -> Outlet:
    """Open Monday to Friday 09:00-17:00 (Jakarta)."""
    outlet = OutletFactory(**kwargs)
    for weekday in range(5):
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(9), closes=time(17))
    return outlet


def test_status_at_with_prefetched_hours_needs_no_query(django_assert_num_queries):
    weekday_outlet(code="AX-1")
    outlet = Outlet.objects.with_hours().get(code="AX-1")
    monday_noon = datetime(2026, 11, 30, 12, tzinfo=JAKARTA)
    with django_assert_num_queries(0):
        status = outlet.status_at(monday_noon)
    assert status.open_now
    assert status.label == "Open · closes 17:00 WIB"


def test_staff_added_holiday_closes_an_outlet_that_is_closed_on_public_holidays(
    django_assert_num_queries,
):
    weekday_outlet(code="AX-1", closed_on_public_holidays=True)
    HolidayDateFactory(date=date(2026, 11, 30), name="Extra holiday")
    outlet = Outlet.objects.with_hours().get(code="AX-1")
    monday_noon = datetime(2026, 11, 30, 12, tzinfo=JAKARTA)
    with django_assert_num_queries(1):  # the holiday corrections
        status = outlet.status_at(monday_noon)
    assert not status.open_now
    assert status.next_change == datetime(2026, 12, 1, 9, tzinfo=JAKARTA)


def test_staff_added_holiday_leaves_an_outlet_without_ph_off_open():
    weekday_outlet(code="AX-1", closed_on_public_holidays=False)
    HolidayDateFactory(date=date(2026, 11, 30))
    outlet = Outlet.objects.with_hours().get(code="AX-1")
    assert outlet.status_at(datetime(2026, 11, 30, 12, tzinfo=JAKARTA)).open_now


def test_temporarily_closed_outlet_is_not_open_in_its_hours():
    weekday_outlet(code="AX-1", status=Outlet.Status.TEMPORARILY_CLOSED)
    outlet = Outlet.objects.with_hours().get(code="AX-1")
    status = outlet.status_at(datetime(2026, 11, 30, 12, tzinfo=JAKARTA))
    assert (status.open_now, status.state) == (False, "temporarily_closed")


def test_special_hours_rows_with_the_same_dates_form_one_split_day_rule():
    outlet = OutletFactory()
    day = date(2026, 12, 24)
    SpecialHoursFactory(
        outlet=outlet, start_date=day, end_date=day, opens=time(14), closes=time(17), reason=""
    )
    SpecialHoursFactory(
        outlet=outlet,
        start_date=day,
        end_date=day,
        opens=time(9),
        closes=time(12),
        reason="Christmas Eve",
    )
    assert outlet.hours.dated == (
        DatedRule(
            day, day, (TimeRange(time(9), time(12)), TimeRange(time(14), time(17))), "Christmas Eve"
        ),
    )


def test_special_hours_row_without_times_is_a_closed_rule():
    outlet = OutletFactory()
    SpecialHoursFactory(
        outlet=outlet, start_date=date(2026, 3, 20), end_date=date(2026, 3, 24), reason="Lebaran"
    )
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 12, 24),
        end_date=date(2026, 12, 24),
        opens=time(10),
        closes=time(15),
        reason="",
    )
    (closed, short_day) = outlet.hours.dated
    assert closed == DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Lebaran")
    assert closed.closed
    assert short_day == DatedRule(
        date(2026, 12, 24), date(2026, 12, 24), (TimeRange(time(10), time(15)),)
    )


# Choices: each built from the plain module that defines the vocabulary -----------------


def test_outlet_kind_choices_are_the_outlet_kinds():
    assert Outlet.Kind.values == list(kinds.KINDS)


def test_every_lifecycle_but_active_is_a_status_state():
    closed = set(Outlet.Status.values) - {hours.ACTIVE}
    assert closed and closed <= set(hours.STATES)


def test_weekday_choices_number_the_osm_weekday_codes():
    assert OpeningRange.Weekday.values == list(range(len(hours.WEEKDAYS)))


def test_precision_choices_are_the_gazetteer_precisions():
    assert Precision.values == list(gazetteer.PRECISIONS)


def test_place_kind_choices_are_the_gazetteer_place_kinds():
    assert Place.Kind.values == list(gazetteer.PLACE_KINDS)


def test_closing_outlets_removes_special_hours_inside_and_shortens_those_across(vocabularies):
    outlet = OutletFactory()
    other = OutletFactory()
    inside = dict(start_date=date(2027, 3, 21), end_date=date(2027, 3, 22))
    SpecialHoursFactory(outlet=outlet, **inside, opens=time(10), closes=time(14))
    SpecialHoursFactory(outlet=outlet, **inside, opens=time(16), closes=time(20))
    SpecialHoursFactory(outlet=outlet, start_date=date(2027, 3, 24), end_date=date(2027, 3, 26))
    SpecialHoursFactory(outlet=other, start_date=date(2027, 3, 1), end_date=date(2027, 3, 2))
    before = SearchChange.objects.count()
    closure = SpecialHours.objects.close(
        Outlet.objects.filter(pk=outlet.pk), date(2027, 3, 20), date(2027, 3, 24), "Lebaran", True
    )
    assert (closure.outlet_ids, closure.shortened, closure.removed) == ([outlet.pk], 1, 2)
    assert list(outlet.special_hours.values_list("start_date", "end_date", "opens", "reason")) == [
        (date(2027, 3, 20), date(2027, 3, 24), None, "Lebaran"),
        (date(2027, 3, 25), date(2027, 3, 26), None, "Idul Fitri"),
    ]
    assert other.special_hours.count() == 1
    assert SearchChange.objects.filter(outlet_id=outlet.pk, pk__gt=before).exists()


def test_closing_outlets_over_special_hours_without_replacing_writes_nothing(vocabularies):
    outlet = OutletFactory(code="AX-1")
    SpecialHoursFactory(outlet=outlet, start_date=date(2027, 3, 24), end_date=date(2027, 3, 26))
    with pytest.raises(ValidationError, match="1 of the outlets: AX-1"):
        SpecialHours.objects.close(
            Outlet.objects.all(), date(2027, 3, 20), date(2027, 3, 24), "Lebaran"
        )
    assert outlet.special_hours.count() == 1
