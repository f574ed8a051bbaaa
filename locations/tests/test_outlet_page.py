"""An outlet's page: its coming week, the exceptions ahead, directions, map and JSON-LD."""

import json
import re
from datetime import UTC, date, datetime, time
from html import unescape

import pytest

from locations.models import Outlet

from .factories import HolidayDateFactory, OpeningRangeFactory, OutletFactory, SpecialHoursFactory

pytestmark = pytest.mark.django_db

#: Wednesday 2026-11-25, 12:00 WIB: the week shown runs Wed 25 Nov to Tue 1 Dec.
NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
#: Wednesday 2026-12-23, 12:00 WIB: the week shown holds Christmas (Friday 25 Dec).
BEFORE_CHRISTMAS = datetime(2026, 12, 23, 5, 0, tzinfo=UTC)


def nine_to_nine(outlet, days=range(7)):
    for weekday in days:
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(9), closes=time(21))
    return outlet


def page(client, outlet, **headers) -> str:
    response = client.get(outlet.get_absolute_url(), **headers)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The words of an HTML fragment, tags dropped, entities read and spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def day_row(html: str, day: str) -> tuple[str, str]:
    """The attributes and the words of the coming week's row for ``day`` (YYYY-MM-DD)."""
    match = re.search(rf'<tr data-date="{day}"([^>]*)>(.*?)</tr>', html, re.S)
    assert match, f"no row for {day}"
    return match[1], text(match[2])


def json_ld_text(html: str) -> str:
    """What the JSON-LD element holds: up to the first ``</script>`` after it opens, where
    the browser ends it."""
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return html[start : html.index("</script>", start)]


def json_ld(html: str) -> dict:
    return json.loads(json_ld_text(html))


# The page -------------------------------------------------------------------------------


def test_the_first_h1_is_the_outlet_s_name(client, clock):
    outlet = OutletFactory(name="AXIS Store Braga")
    assert re.search(r"<h1[^>]*>(.*?)</h1>", page(client, outlet), re.S)[1] == "AXIS Store Braga"


def test_the_page_shows_address_phone_services_payments_and_what_to_bring(
    client, clock, vocabularies
):
    outlet = OutletFactory(
        address="Jl. Braga No. 10",
        phone="+62 22 4201234",
        services=["esim_activation"],
        payment_methods=["qris"],
    )
    html = page(client, outlet)
    assert "Jl. Braga No. 10" in html
    assert '<a href="tel:+62224201234">+62 22 4201234</a>' in html
    assert 'data-service="esim_activation"' in html
    assert 'data-payment="qris"' in html
    assert "bring your ID card (KTP) or passport" in html


def test_the_hours_heading_names_the_outlet_s_zone(client, clock):
    outlet = nine_to_nine(OutletFactory(timezone="Asia/Makassar"))
    assert "local time (WITA)" in text(page(client, outlet))


# The coming week --------------------------------------------------------------------------


def test_the_week_shows_seven_dated_days_from_today_marked_current(client, clock):
    outlet = nine_to_nine(OutletFactory())
    html = page(client, outlet)
    days = re.findall(r'<tr data-date="([\d-]+)"', html)
    assert days == [f"2026-11-{day}" for day in range(25, 31)] + ["2026-12-01"]
    attributes, words = day_row(html, "2026-11-25")
    assert 'aria-current="date"' in attributes
    assert words == "Wed 25 Nov today 09:00–21:00"
    assert 'aria-current="date"' not in day_row(html, "2026-11-26")[0]
    assert html.count('aria-current="date"') == 1


def test_today_is_the_outlet_s_local_date_not_the_server_s(client, clock):
    # 18:00 UTC on Wednesday is already Thursday 03:00 in Jayapura (WIT).
    clock.now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    outlet = nine_to_nine(OutletFactory(timezone="Asia/Jayapura", latitude=-2.53, longitude=140.7))
    html = page(client, outlet)
    assert re.findall(r'<tr data-date="([\d-]+)"', html)[0] == "2026-11-26"
    assert 'aria-current="date"' in day_row(html, "2026-11-26")[0]


def test_a_public_holiday_that_closes_the_outlet_shows_closed_with_its_name(client, clock):
    clock.now = BEFORE_CHRISTMAS
    outlet = nine_to_nine(OutletFactory(code="BRAGA", closed_on_public_holidays=True))
    attributes, words = day_row(page(client, outlet), "2026-12-25")
    assert "exception-holiday" in attributes
    assert words == "Fri 25 Dec Closed Christmas Day usually 09:00–21:00"


def test_the_api_agrees_the_outlet_is_closed_on_that_holiday(client, clock):
    clock.now = BEFORE_CHRISTMAS
    outlet = nine_to_nine(OutletFactory(code="BRAGA", closed_on_public_holidays=True))
    answer = client.get(f"/api/v1/outlets/{outlet.code}/", {"at": "2026-12-25T12:00:00+07:00"})
    assert json.loads(answer.content)["status"]["state"] == "closed"
    assert day_row(page(client, outlet), "2026-12-25")[1].startswith("Fri 25 Dec Closed")


def test_a_public_holiday_does_not_change_an_outlet_open_on_holidays(client, clock):
    clock.now = BEFORE_CHRISTMAS
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=False))
    attributes, words = day_row(page(client, outlet), "2026-12-25")
    assert "exception" not in attributes
    assert words == "Fri 25 Dec 09:00–21:00"


def test_the_holiday_s_name_is_in_the_page_s_language(client, clock):
    clock.now = BEFORE_CHRISTMAS
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=True))
    html = page(client, outlet, HTTP_ACCEPT_LANGUAGE="id")
    assert "Hari Raya Natal" in day_row(html, "2026-12-25")[1]


def test_a_holiday_staff_added_shows_with_the_name_they_gave(client, clock):
    HolidayDateFactory(date=date(2026, 11, 30), name="Cuti bersama Bandung")
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=True))
    attributes, words = day_row(page(client, outlet), "2026-11-30")
    assert "exception-holiday" in attributes
    assert words == "Mon 30 Nov Closed Cuti bersama Bandung usually 09:00–21:00"


def test_a_holiday_staff_removed_keeps_the_usual_hours(client, clock):
    clock.now = BEFORE_CHRISTMAS
    HolidayDateFactory(date=date(2026, 12, 25), is_holiday=False, name="")
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=True))
    assert day_row(page(client, outlet), "2026-12-25")[1] == "Fri 25 Dec 09:00–21:00"


def test_special_hours_show_on_their_date_with_their_reason(client, clock):
    outlet = nine_to_nine(OutletFactory())
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 11, 27),
        end_date=date(2026, 11, 27),
        opens=time(10),
        closes=time(15),
        reason="Stocktaking",
    )
    attributes, words = day_row(page(client, outlet), "2026-11-27")
    assert "exception-special" in attributes
    assert words == "Fri 27 Nov 10:00–15:00 Stocktaking usually 09:00–21:00"


def test_upcoming_special_hours_and_closing_holidays_are_listed(client, clock):
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=True))
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 12, 24),
        end_date=date(2026, 12, 24),
        opens=time(10),
        closes=time(15),
        reason="Christmas Eve",
    )
    SpecialHoursFactory(outlet=outlet, start_date=date(2026, 3, 20), end_date=date(2026, 3, 24))
    listed = re.search(r'<ul class="special-hours">(.*?)</ul>', page(client, outlet), re.S)[1]
    items = [text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", listed, re.S)]
    assert items == [
        "24 Dec 2026: 10:00–15:00 (Christmas Eve)",
        "25 Dec 2026: Closed (Christmas Day)",
        "1 Jan 2027: Closed (New Year's Day)",
        "5 Jan 2027: Closed (Isra' and Mi'raj)",
    ]


def test_an_outlet_open_around_the_clock_says_so_once(client, clock):
    outlet = OutletFactory()
    for weekday in range(7):
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(0), closes=time(0))
    html = page(client, outlet)
    assert html.count("Open 24 hours, every day") == 1
    assert '<tr data-date="' not in html


def test_an_overnight_range_is_marked_as_ending_the_next_day(client, clock):
    outlet = OutletFactory(kind=Outlet.Kind.KIOSK)
    OpeningRangeFactory(outlet=outlet, weekday=2, opens=time(20), closes=time(2))
    assert (
        day_row(page(client, outlet), "2026-11-25")[1] == "Wed 25 Nov today 20:00–02:00 (next day)"
    )


def test_a_closed_outlet_s_page_shows_no_week(client, clock):
    outlet = nine_to_nine(OutletFactory(status=Outlet.Status.TEMPORARILY_CLOSED))
    html = page(client, outlet)
    assert "Temporarily closed" in html
    assert '<tr data-date="' not in html


# Directions, map and coordinates --------------------------------------------------------


def test_directions_lead_to_the_outlet_on_google_maps_and_openstreetmap(client, clock):
    outlet = OutletFactory(latitude=-6.917464, longitude=107.619123)
    links = dict(
        re.findall(
            r'<a class="directions" data-provider="(\w+)" href="([^"]+)"', page(client, outlet)
        )
    )
    assert links == {
        "google": "https://www.google.com/maps/dir/?api=1&amp;destination=-6.917464,107.619123",
        "osm": "https://www.openstreetmap.org/directions?to=-6.917464,107.619123",
    }


def test_coordinates_are_written_with_a_dot_in_bahasa_indonesia(client, clock):
    outlet = OutletFactory(latitude=-6.917464, longitude=107.619123)
    html = page(client, outlet, HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="id">' in html
    assert 'data-latitude="-6.917464" data-longitude="107.619123"' in html
    assert "to=-6.917464,107.619123" in html
    assert "destination=-6.917464,107.619123" in html
    assert json_ld(html)["geo"]["latitude"] == -6.917464
    assert "-6,917464" not in html and "107,619123" not in html


def test_the_map_is_a_region_opened_on_the_outlet_after_the_content(client, clock):
    outlet = OutletFactory(name="AXIS Store Braga", latitude=-6.917464, longitude=107.619123)
    html = page(client, outlet)
    head = html[: html.index("</head>")]
    assert "leaflet" not in head
    tag = re.search(r'<div id="map"[^>]*>', html)[0]
    assert 'class="map map-small"' in tag and 'role="region"' in tag
    assert 'aria-label="Map of AXIS Store Braga"' in tag
    assert 'data-name="AXIS Store Braga"' in tag
    script = html[html.index('<div id="map"') :]
    assert script.index("leaflet.js") < script.index("outlet-map.js") < script.index("djangoMap")
    assert "callback: window.axisfinderOutletMap" in script
    assert '"center": [-6.917464, 107.619123], "zoom": 16' in script


# JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_describes_a_store_with_address_geo_phone_and_hours(client, clock):
    outlet = OutletFactory(
        name="AXIS Store Braga",
        address="Jl. Braga No. 10",
        city="Bandung",
        province="Jawa Barat",
        postcode="40111",
        phone="+62 22 4201234",
        latitude=-6.917464,
        longitude=107.619123,
    )
    nine_to_nine(outlet, days=range(5))
    OpeningRangeFactory(outlet=outlet, weekday=5, opens=time(20), closes=time(2))
    data = json_ld(page(client, outlet))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Store"
    assert data["name"] == "AXIS Store Braga"
    assert data["url"] == f"http://testserver{outlet.get_absolute_url()}"
    assert data["telephone"] == "+62 22 4201234"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Jl. Braga No. 10",
        "addressLocality": "Bandung",
        "addressRegion": "Jawa Barat",
        "postalCode": "40111",
        "addressCountry": "ID",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": -6.917464,
        "longitude": 107.619123,
    }
    weekdays = [f"https://schema.org/{day}" for day in ("Monday", "Tuesday", "Wednesday")]
    weekdays += ["https://schema.org/Thursday", "https://schema.org/Friday"]
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": weekdays,
            "opens": "09:00",
            "closes": "21:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "20:00",
            "closes": "02:00",
        },
    ]


def test_json_ld_of_a_kiosk_is_a_local_business(client, clock):
    outlet = OutletFactory(kind=Outlet.Kind.KIOSK, phone="")
    data = json_ld(page(client, outlet))
    assert data["@type"] == "LocalBusiness"
    assert "telephone" not in data


def test_json_ld_gives_special_hours_and_closing_holidays_their_dates(client, clock):
    outlet = nine_to_nine(OutletFactory(closed_on_public_holidays=True), days=[3])
    SpecialHoursFactory(
        outlet=outlet,
        start_date=date(2026, 12, 24),
        end_date=date(2026, 12, 24),
        opens=time(10),
        closes=time(15),
        reason="Christmas Eve",
    )
    specifications = json_ld(page(client, outlet))["openingHoursSpecification"]
    assert specifications[1:] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-12-24",
            "validThrough": "2026-12-24",
            "opens": "10:00",
            "closes": "15:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-12-25",
            "validThrough": "2026-12-25",
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2027-01-01",
            "validThrough": "2027-01-01",
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2027-01-05",
            "validThrough": "2027-01-05",
            "opens": "00:00",
            "closes": "00:00",
        },
    ]


def test_json_ld_gives_a_day_open_around_the_clock_as_00_00_to_23_59(client, clock):
    outlet = OutletFactory()
    for weekday in range(7):
        OpeningRangeFactory(outlet=outlet, weekday=weekday, opens=time(0), closes=time(0))
    (specification,) = json_ld(page(client, outlet))["openingHoursSpecification"]
    assert (specification["opens"], specification["closes"]) == ("00:00", "23:59")
    assert len(specification["dayOfWeek"]) == 7


def test_a_name_with_a_script_end_tag_cannot_end_the_json_ld_element(client, clock):
    name = "</script><script>alert(1)</script>"
    outlet = OutletFactory(name=name)
    html = page(client, outlet)
    assert json_ld(html)["name"] == name  # the element ends after the whole JSON
    assert "\\u003C/script\\u003E" in json_ld_text(html)
    assert "<script>alert(1)" not in html


def test_json_ld_is_the_same_in_every_language(client, clock):
    outlet = nine_to_nine(OutletFactory())
    english = json_ld(page(client, outlet))
    indonesian = json_ld(page(client, outlet, HTTP_ACCEPT_LANGUAGE="id"))
    assert english == indonesian
