"""Holiday notices: the coming week's public holidays on the locator and on the pages of the
outlets whose hours they change, in each language."""

import re
from datetime import UTC, date, datetime, time
from html import unescape

import holidays as holidays_package
import pytest
from django.utils import translation

from locations import calendars, notices
from locations import hours as hours_rules
from locations.models import hours_from_values
from locations.notices import Holiday

from .factories import HolidayDateFactory, OpeningRangeFactory, OutletFactory, SpecialHoursFactory


def noon_wib(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)


#: The pages' "now" (the ``clock`` fixture): a week before Christmas, noon in Jakarta.
NOW = noon_wib(date(2026, 12, 18))


def notices_on(html: str) -> list[str]:
    block = re.search(r'<ul class="holiday-notices"[^>]*>(.*?)</ul>', html, re.S)
    if block is None:
        return []
    return [" ".join(unescape(item).split()) for item in re.findall(r"<li>(.*?)</li>", block[1])]


def schedule(closed_on_public_holidays=True, special=()):
    weekly = [(weekday, time(9), time(21)) for weekday in range(7)]
    hours = hours_from_values(weekly, special, closed_on_public_holidays)
    holidays = calendars.public_holidays("ID")
    return hours_rules.compile_schedule(hours, "Asia/Jakarta", "active", holidays), hours


# Pure rules -----------------------------------------------------------------------------


def test_the_days_of_one_holiday_are_one_notice_named_by_its_first():
    names = {date(2026, 3, 21): "Eid al-Fitr", date(2026, 3, 22): "Eid al-Fitr Second Day"}
    assert notices.holidays(names, names) == [
        Holiday("Eid al-Fitr", date(2026, 3, 21), date(2026, 3, 22))
    ]


def test_an_estimated_holiday_s_second_day_is_the_same_holiday():
    names = {
        date(2027, 3, 10): "Eid al-Fitr (estimated)",
        date(2027, 3, 11): "Eid al-Fitr Second Day (estimated)",
    }
    assert len(notices.holidays(names, names)) == 1


def test_two_holidays_side_by_side_are_two_notices():
    names = {date(2026, 5, 31): "Vesak Day", date(2026, 6, 1): "Pancasila Day"}
    assert [holiday.name for holiday in notices.holidays(names, names)] == [
        "Vesak Day",
        "Pancasila Day",
    ]


def test_a_date_without_a_name_is_a_public_holiday():
    [holiday] = notices.holidays([date(2026, 12, 24)], {})
    assert holiday.name == "Public holiday"


@pytest.mark.parametrize(
    ("language", "first", "last", "when"),
    [
        ("en", date(2026, 12, 25), date(2026, 12, 25), "December 25"),
        ("en", date(2026, 3, 21), date(2026, 3, 22), "March 21–22"),
        ("en", date(2026, 5, 31), date(2026, 6, 1), "May 31 – June 1"),
        ("id", date(2026, 3, 21), date(2026, 3, 22), "21–22 Maret"),
        ("id", date(2026, 12, 25), date(2026, 12, 25), "25 Desember"),
        ("zh-hans", date(2026, 3, 21), date(2026, 3, 22), "三月21–22日"),
    ],
)
def test_a_holiday_s_dates_read_in_each_language(language, first, last, when):
    with translation.override(language):
        assert Holiday("x", first, last).when == when


def test_an_outlet_closed_on_public_holidays_is_told_closed():
    compiled, hours = schedule(closed_on_public_holidays=True)
    christmas = [Holiday("Christmas Day", date(2026, 12, 25), date(2026, 12, 25))]
    with translation.override("en"):
        assert notices.outlet_notices(christmas, compiled, hours.dated) == [
            "Christmas Day, December 25: this outlet is closed."
        ]


def test_an_outlet_open_as_usual_on_the_holiday_has_no_notice():
    compiled, hours = schedule(closed_on_public_holidays=False)
    christmas = [Holiday("Christmas Day", date(2026, 12, 25), date(2026, 12, 25))]
    assert notices.outlet_notices(christmas, compiled, hours.dated) == []


def test_an_outlet_with_special_hours_on_the_holiday_is_told_so():
    special = [(date(2026, 12, 25), date(2026, 12, 25), time(12), time(18), "Christmas")]
    compiled, hours = schedule(closed_on_public_holidays=False, special=special)
    christmas = [Holiday("Christmas Day", date(2026, 12, 25), date(2026, 12, 25))]
    with translation.override("en"):
        assert notices.outlet_notices(christmas, compiled, hours.dated) == [
            "Christmas Day, December 25: this outlet has special hours."
        ]


def test_every_indonesian_holiday_the_package_names_has_a_translation_entry():
    """The names the package gives only in English are in the catalogue, so Chinese pages
    name them in Chinese: a new name in a newer package shows up here."""
    with translation.override("en"):
        known = {str(name) for name in calendars.ENGLISH_NAMES}
    for year in range(2026, 2031):
        for name in holidays_package.country_holidays(
            "ID", years=year, categories=("public",), language="en_US"
        ).values():
            assert name.removesuffix(" (estimated)") in known, name


# Pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2026, 12, 17), False),  # eight days before Christmas
        (date(2026, 12, 18), True),  # seven days before
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), True),  # the day itself
        (date(2026, 12, 26), False),  # after it (New Year is then the one ahead)
    ],
)
def test_the_locator_tells_of_a_holiday_only_in_the_week_before_it(client, clock, day, shown):
    clock.now = noon_wib(day)
    said = notices_on(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    christmas = "Christmas Day, December 25: many outlets have special hours or are closed."
    assert (christmas in said) is shown


@pytest.mark.django_db
def test_the_locator_s_notice_is_in_each_language(client, clock):
    expected = {
        "en": "Christmas Day, December 25: many outlets have special hours or are closed.",
        "id": "Hari Raya Natal, 25 Desember: banyak gerai buka dengan jam khusus atau tutup.",
        "zh-hans": "圣诞节，12月25日：许多网点实行特殊营业时间或不营业。",  # noqa: RUF001
    }
    for language, notice in expected.items():
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert notices_on(html) == [notice], language


@pytest.mark.django_db
def test_a_holiday_staff_entered_is_told_by_its_name_and_one_removed_is_not(client, clock):
    HolidayDateFactory(country="ID", date=date(2026, 12, 24), name="Cuti Bersama Natal")
    HolidayDateFactory(country="ID", date=date(2026, 12, 25), is_holiday=False)
    said = notices_on(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert said == [
        "Cuti Bersama Natal, December 24: many outlets have special hours or are closed."
    ]


@pytest.mark.django_db
def test_an_affected_outlet_s_page_says_so_and_another_s_does_not(client, clock):
    closes = OutletFactory(closed_on_public_holidays=True)
    stays_open = OutletFactory(closed_on_public_holidays=False)
    for outlet in (closes, stays_open):
        for weekday in range(7):
            OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(9), closes=time(21))
    SpecialHoursFactory(
        outlet=stays_open,
        start_date=date(2026, 12, 25),
        end_date=date(2026, 12, 25),
        opens=time(12),
        closes=time(18),
    )
    unchanged = OutletFactory(closed_on_public_holidays=False)

    def said(outlet, language="en"):
        html = client.get(outlet.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        return notices_on(html.content.decode())

    assert said(closes) == ["Christmas Day, December 25: this outlet is closed."]
    assert said(closes, "id") == ["Hari Raya Natal, 25 Desember: gerai ini tutup."]
    assert said(closes, "zh-hans") == ["圣诞节，12月25日：本网点不营业。"]  # noqa: RUF001
    assert said(stays_open) == ["Christmas Day, December 25: this outlet has special hours."]
    assert said(unchanged) == []
    clock.now = noon_wib(date(2026, 12, 17))
    assert said(closes) == []
