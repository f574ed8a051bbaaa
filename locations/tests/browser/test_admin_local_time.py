"""The admin in Bahasa Indonesia, from a browser in Jayapura (WIT, UTC+9), on a Jakarta
outlet (WIB, UTC+7), the server keeping UTC: hours and dates are the outlet's own and are
stored as typed, whatever the browser's or the server's zone; no screen speaks of the
server's time or offers the server's "Now" and "Today"."""

import datetime
import re
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from locations.models import HolidayDate, OpeningRange, SpecialHours

from ..factories import OpeningRangeFactory, OutletFactory
from .support import axe
from .test_admin_map import DJANGO_ADMIN_OWN

pytestmark = pytest.mark.browser

#: The browser's zone: two hours ahead of the outlet's, nine ahead of the server's.
BROWSER_ZONE = "Asia/Jayapura"
OUTLET_ZONE = "Asia/Jakarta"
#: What the admin's own date and time widgets say of the server's clock, in English and in
#: Django's Indonesian ("Catatan: Waktu Anda lebih cepat %s jam dibandingkan waktu
#: server.", django/contrib/admin/locale/id/LC_MESSAGES/djangojs.po).
SERVER_TIME = ("server time", "waktu server")
#: The admin widgets' shortcut links, "Now" and "Today" in Django's Indonesian.
SHORTCUTS = ("Sekarang", "Hari ini")
#: Fields as Django names them when a model gives no translated name: English on an
#: Indonesian screen.
ENGLISH_OUTLET_LABELS = (
    "Code:",
    "Kind:",
    "Name:",
    "Address:",
    "City:",
    "Province:",
    "Postcode:",
    "Country:",
    "Latitude:",
    "Longitude:",
    "Timezone:",
    "Phone:",
    "Services:",
    "Payment methods:",
    "Closed on public holidays",
    "Details checked on:",
)
ENGLISH_HOURS_COLUMNS = ("Weekday", "Opens", "Closes", "Start date", "End date", "Reason")
ENGLISH_HOLIDAY_LABELS = ("Country:", "Date:", "Name:", "Is holiday")


def outlet_today() -> datetime.date:
    return datetime.datetime.now(ZoneInfo(OUTLET_ZONE)).date()


def public_holidays(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    """Indonesia's public holidays from ``first`` to ``last``, named in Indonesian, as the
    ``holidays`` package has them."""
    calendar = holidays.country_holidays(
        "ID", years=range(first.year, last.year + 1), categories=("public",), language="id"
    )
    return {day: name for day, name in sorted(calendar.items()) if first <= day <= last}


def coming_working_day() -> datetime.date:
    """A date of the coming weeks at the outlet that is no public holiday, on the 13th or
    later, so that a day and month read the wrong way round cannot pass for it."""
    day = outlet_today() + datetime.timedelta(days=1)
    calendar = public_holidays(day, day + datetime.timedelta(days=60))
    while day.day < 13 or day in calendar:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def outlet():
    """A Jakarta store (WIB) open on Mondays from 09:00 to 17:00."""
    outlet = OutletFactory(
        code="AX-JKT-01",
        name="AXIS Store Sudirman",
        city="Jakarta Pusat",
        province="DKI Jakarta",
        postcode="10220",
        latitude=-6.2088,
        longitude=106.8229,
        timezone=OUTLET_ZONE,
    )
    OpeningRangeFactory(outlet=outlet, weekday=0)
    return outlet


def in_jayapura(open_page, path, user):
    """``path`` in a browser set to Bahasa Indonesia and Jayapura's time."""
    return open_page(path, language="id", timezone=BROWSER_ZONE, user=user)


@pytest.fixture
def outlet_form(open_page, outlet, staff):
    page = in_jayapura(open_page, reverse("admin:locations_outlet_change", args=[outlet.pk]), staff)
    # The browser really is in Jayapura, and speaks Indonesian.
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    return page


def assert_only_local_inputs(page):
    """Every date and time field is the browser's own input, with nothing of the server's
    clock beside it: no "Now" or "Today" link, no note on how far the server's time is."""
    form = page.locator("#content-main form")
    expect(form.locator("input.vDateField, input.vTimeField")).to_have_count(0)
    expect(form.locator(".datetimeshortcuts, .timezonewarning")).to_have_count(0)
    for name in SHORTCUTS:
        expect(form.get_by_role("link", name=name, exact=True)).to_have_count(0)
    text = page.locator("body").text_content().lower()
    for words in SERVER_TIME:
        assert words not in text


def test_outlet_form_is_in_indonesian(outlet_form):
    expect(outlet_form.locator("html")).to_have_attribute("lang", "id")
    expect(outlet_form.locator("input[name=_save]")).to_have_value("Simpan")
    expect(outlet_form.locator("input[name=_continue]")).to_have_value("Simpan dan terus mengedit")


def test_outlet_form_names_the_outlets_zone_not_the_browsers(outlet_form):
    expect(outlet_form.locator("#opening_ranges-heading")).to_contain_text(
        "jam buka mingguan, waktu setempat WIB", ignore_case=True
    )
    expect(outlet_form.locator("#special_hours-heading")).to_contain_text(
        "jam khusus, waktu setempat WIB", ignore_case=True
    )
    for column in ("opens", "closes"):
        expect(
            outlet_form.locator(f"#opening_ranges-group th.column-{column} img.help")
        ).to_have_attribute("title", "Dalam waktu setempat WIB.")
    expect(outlet_form.locator("#outlet-now .outlet-status")).to_contain_text(
        re.compile(r"Di gerai sekarang pukul \d\d:\d\d WIB")
    )
    assert not re.search(r"\bWIT\b", outlet_form.locator("body").text_content())


def test_outlet_form_has_only_the_browsers_date_and_time_inputs(outlet_form):
    expect(outlet_form.locator("#id_opening_ranges-0-opens")).to_have_attribute("type", "time")
    expect(outlet_form.locator("#id_opening_ranges-0-opens")).to_have_value("09:00")
    assert_only_local_inputs(outlet_form)


def english(texts: list[str], words: tuple[str, ...]) -> list[str]:
    return [text.strip() for text in texts if text.strip() in words]


def test_outlet_fields_are_labelled_in_indonesian(outlet_form):
    labels = outlet_form.locator("#content-main form label").all_text_contents()
    assert english(labels, ENGLISH_OUTLET_LABELS) == []


def test_hours_columns_are_labelled_in_indonesian(outlet_form):
    headers = outlet_form.locator(".tabular thead th").all_text_contents()
    assert english(headers, ENGLISH_HOURS_COLUMNS) == []
    expect(outlet_form.locator("#special_hours-group .add-row a")).not_to_contain_text(
        "Special hours"
    )


def test_hours_typed_in_jayapura_are_stored_as_typed_in_the_outlets_zone(outlet_form, outlet):
    day = coming_working_day()
    outlet_form.fill("#id_opening_ranges-0-opens", "08:30")
    outlet_form.fill("#id_opening_ranges-0-closes", "21:15")
    outlet_form.locator("#special_hours-group .add-row a").click()
    outlet_form.fill("#id_special_hours-0-start_date", day.isoformat())
    outlet_form.fill("#id_special_hours-0-end_date", day.isoformat())
    outlet_form.fill("#id_special_hours-0-reason", "Stok opname")
    outlet_form.locator("input[name=_continue]").click()

    expect(outlet_form.locator(".messagelist .success")).to_contain_text("berhasil diubah")
    monday = OpeningRange.objects.get(outlet=outlet, weekday=0)
    assert (monday.opens, monday.closes) == (datetime.time(8, 30), datetime.time(21, 15))
    special = SpecialHours.objects.get(outlet=outlet)
    assert (special.start_date, special.end_date) == (day, day)
    assert (special.opens, special.closes, special.reason) == (None, None, "Stok opname")

    # The form shows them again as they were typed, and the coming weeks have the closure.
    expect(outlet_form.locator("#id_opening_ranges-0-opens")).to_have_value("08:30")
    expect(outlet_form.locator("#id_opening_ranges-0-closes")).to_have_value("21:15")
    expect(outlet_form.locator("#id_special_hours-0-start_date")).to_have_value(day.isoformat())
    expect(outlet_form.locator("#id_special_hours-0-end_date")).to_have_value(day.isoformat())
    expect(outlet_form.locator(".field-opening_hours_osm")).to_contain_text("Mo 08:30-21:15")
    closure = outlet_form.locator(f"#outlet-now li[data-start='{day.isoformat()}']")
    expect(closure).to_have_attribute("data-end", day.isoformat())
    expect(closure).to_contain_text("Stok opname")


def test_outlet_form_in_indonesian_passes_axe(outlet_form):
    assert axe(outlet_form, exclude=DJANGO_ADMIN_OWN) == []


def test_holiday_typed_in_jayapura_is_stored_as_typed_and_listed(open_page, staff):
    day = coming_working_day()
    page = in_jayapura(open_page, reverse("admin:locations_holidaydate_add"), staff)
    expect(page.locator("#id_date")).to_have_attribute("type", "date")
    assert_only_local_inputs(page)
    page.fill("#id_date", day.isoformat())
    page.fill("#id_name", "Cuti bersama kantor")
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("berhasil ditambahkan")
    holiday = HolidayDate.objects.get()
    assert (holiday.country, holiday.date, holiday.is_holiday) == ("ID", day, True)
    row = page.locator(f"#calendar-holidays-ID tr[data-date='{day.isoformat()}']")
    expect(row).to_contain_text("Cuti bersama kantor")
    expect(row).to_contain_text("ditambahkan oleh staf")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)


def test_holiday_form_is_labelled_in_indonesian(open_page, staff):
    page = in_jayapura(open_page, reverse("admin:locations_holidaydate_add"), staff)
    expect(page.locator("#content h1")).not_to_contain_text("holiday date")
    labels = page.locator("#content-main form label").all_text_contents()
    assert english(labels, ENGLISH_HOLIDAY_LABELS) == []


def test_holiday_list_shows_the_calendars_public_holidays_of_the_next_12_months(open_page, staff):
    page = in_jayapura(open_page, reverse("admin:locations_holidaydate_changelist"), staff)
    table = page.locator("#calendar-holidays-ID")
    expect(table.locator("caption")).to_have_text("ID: hari libur nasional 12 bulan ke depan")
    today = outlet_today()
    expected = public_holidays(today, today + datetime.timedelta(days=365))
    assert len(expected) >= 10  # Indonesia has some seventeen a year
    listed = table.locator("tbody tr").evaluate_all(
        """rows => rows.map(row => [
          row.dataset.date, row.cells[1].textContent.trim(), row.cells[2].textContent.trim(),
        ])"""
    )
    assert listed == [[day.isoformat(), name, "dari kalender"] for day, name in expected.items()]
