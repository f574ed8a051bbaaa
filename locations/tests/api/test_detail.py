"""GET /api/v1/outlets/{code}/: one outlet with its full hours."""

import datetime

import pytest

from locations.models import Outlet

from ..factories import OpeningRangeFactory, OutletFactory, SpecialHoursFactory
from .support import NIGHT_WIB, NOON_UTC, NOON_WIB, RESULT_FIELDS, body

pytestmark = pytest.mark.django_db

DETAIL_FIELDS = RESULT_FIELDS | {
    "opening_hours",
    "opening_hours_osm",
    "special_hours",
    "closed_on_public_holidays",
    "hours_today",
}
IDUL_FITRI = {
    "start_date": "2026-03-20",
    "end_date": "2026-03-24",
    "closed": True,
    "ranges": [],
    "reason": "Idul Fitri",
}
CHRISTMAS_EVE = {
    "start_date": "2026-12-24",
    "end_date": "2026-12-24",
    "closed": False,
    "ranges": [{"opens": "10:00", "closes": "15:00"}],
    "reason": "Christmas Eve",
}


@pytest.fixture
def braga(vocabularies):
    """A store open Mo-Fr 09:00-21:00 and Sa 10:00-15:00, closed for Idul Fitri 2026 and on
    public holidays, with short hours on Christmas Eve."""
    outlet = OutletFactory(
        code="BRAGA",
        name="AXIS Store Braga",
        closed_on_public_holidays=True,
        services=["sim_replacement", "registration"],
        payment_methods=["cash"],
    )
    for weekday in range(5):
        OpeningRangeFactory(
            outlet=outlet, weekday=weekday, opens=datetime.time(9), closes=datetime.time(21)
        )
    OpeningRangeFactory(outlet=outlet, weekday=5, opens=datetime.time(10), closes=datetime.time(15))
    SpecialHoursFactory(outlet=outlet)  # Idul Fitri, 20-24 March 2026: closed
    SpecialHoursFactory(
        outlet=outlet,
        start_date=datetime.date(2026, 12, 24),
        end_date=datetime.date(2026, 12, 24),
        opens=datetime.time(10),
        closes=datetime.time(15),
        reason="Christmas Eve",
    )
    return outlet


def detail(client, code="BRAGA", **params):
    response = client.get(f"/api/v1/outlets/{code}/", params)
    assert response.status_code == 200, response.content
    return body(response)


def test_the_detail_has_the_list_fields_and_the_full_hours(braga, client):
    assert set(detail(client, at=NOON_WIB)) == DETAIL_FIELDS


def test_the_detail_carries_the_outlet_s_values(braga, client):
    outlet = detail(client, at=NOON_WIB)
    assert outlet["code"] == "BRAGA"
    assert outlet["slug"] == "axis-store-braga--braga"
    assert outlet["services"] == ["sim_replacement", "registration"]
    assert outlet["payment_methods"] == ["cash"]
    assert outlet["url"] == "http://testserver/outlets/axis-store-braga--braga/"


def test_the_detail_has_no_distance(braga, client):
    assert detail(client)["distance_km"] is None


def test_opening_hours_are_the_weekly_ranges_in_local_time(braga, client):
    weekdays = [
        {"weekday": day, "day": name, "opens": "09:00", "closes": "21:00"}
        for day, name in enumerate(["Mo", "Tu", "We", "Th", "Fr"])
    ]
    saturday = {"weekday": 5, "day": "Sa", "opens": "10:00", "closes": "15:00"}
    assert detail(client)["opening_hours"] == [*weekdays, saturday]


def test_opening_hours_osm_is_the_same_in_openstreetmap_syntax(braga, client):
    assert detail(client)["opening_hours_osm"] == (
        "Mo-Fr 09:00-21:00; Sa 10:00-15:00; "
        '2026 Mar 20-2026 Mar 24 off "Idul Fitri"; '
        '2026 Dec 24 10:00-15:00 "Christmas Eve"; PH off'
    )


def test_an_overnight_range_closes_after_it_opens_on_the_clock(vocabularies, client):
    outlet = OutletFactory(code="LATE", kind="kiosk")
    OpeningRangeFactory(outlet=outlet, weekday=4, opens=datetime.time(22), closes=datetime.time(2))
    answer = detail(client, "LATE")
    assert answer["opening_hours"] == [
        {"weekday": 4, "day": "Fr", "opens": "22:00", "closes": "02:00"}
    ]
    assert answer["opening_hours_osm"] == "Fr 22:00-02:00"


def test_special_hours_lists_only_those_still_to_come(braga, client):
    assert detail(client, at=NOON_WIB)["special_hours"] == [CHRISTMAS_EVE]


def test_special_hours_are_upcoming_as_of_the_instant_asked_about(braga, client):
    assert detail(client, at="2026-03-01T12:00:00+07:00")["special_hours"] == [
        IDUL_FITRI,
        CHRISTMAS_EVE,
    ]


def test_special_hours_still_running_are_listed(braga, client):
    assert detail(client, at="2026-03-24T20:00:00+07:00")["special_hours"][0] == IDUL_FITRI


def test_closed_on_public_holidays_is_given(braga, client):
    assert detail(client)["closed_on_public_holidays"] is True


def test_closed_on_public_holidays_is_false_by_default(vocabularies, client):
    OutletFactory(code="PLAIN")
    assert detail(client, "PLAIN")["closed_on_public_holidays"] is False


@pytest.mark.parametrize("at", [NOON_WIB, NOON_UTC])
def test_status_is_evaluated_at_the_instant_given(braga, client, at):
    assert detail(client, at=at)["status"] == {
        "open_now": True,
        "state": "open",
        "next_change": "2026-11-25T21:00:00+07:00",
        "label": "Open · closes 21:00 WIB",
    }


def test_status_at_night_says_when_it_opens(braga, client):
    assert detail(client, at=NIGHT_WIB)["status"] == {
        "open_now": False,
        "state": "closed",
        "next_change": "2026-11-26T09:00:00+07:00",
        "label": "Closed · opens 09:00 WIB",
    }


def test_special_hours_decide_the_status_on_their_date(braga, client):
    status = detail(client, at="2026-12-24T16:00:00+07:00")["status"]
    assert status["open_now"] is False
    assert status["next_change"] == "2026-12-26T10:00:00+07:00"  # Christmas, then Saturday


def test_a_public_holiday_closes_an_outlet_closed_on_public_holidays(braga, client):
    status = detail(client, at="2026-12-25T12:00:00+07:00")["status"]  # Christmas, a Friday
    assert status["open_now"] is False and status["state"] == "closed"


@pytest.mark.parametrize(
    ("at", "today"),
    [
        (NOON_WIB, "09:00–21:00"),  # a Wednesday
        (NIGHT_WIB, "09:00–21:00"),  # the same day, after closing
        ("2026-11-28T12:00:00+07:00", "10:00–15:00"),  # Saturday
        ("2026-11-29T12:00:00+07:00", ""),  # Sunday: closed all day
        ("2026-12-24T08:00:00+07:00", "10:00–15:00"),  # Christmas Eve's special hours
        ("2026-03-21T12:00:00+07:00", ""),  # Idul Fitri: closed
        ("2026-12-25T12:00:00+07:00", ""),  # Christmas, a public holiday
    ],
)
def test_hours_today_are_the_ranges_of_the_local_date_asked_about(braga, client, at, today):
    assert detail(client, at=at)["hours_today"] == today


def test_hours_today_follow_the_outlet_s_own_date(braga, client):
    # 23:30 UTC on Friday 27 November is already Saturday in Jakarta.
    assert detail(client, at="2026-11-27T23:30:00Z")["hours_today"] == "10:00–15:00"


def test_hours_today_end_an_overnight_range_on_the_next_day_s_clock(vocabularies, client):
    outlet = OutletFactory(code="LATE", kind="kiosk")
    OpeningRangeFactory(outlet=outlet, weekday=4, opens=datetime.time(22), closes=datetime.time(2))
    assert detail(client, "LATE", at="2026-11-27T23:00:00+07:00")["hours_today"] == "22:00–02:00"


def test_hours_today_of_a_temporarily_closed_outlet_are_empty(vocabularies, client):
    outlet = OutletFactory(code="PAUSED", status=Outlet.Status.TEMPORARILY_CLOSED)
    OpeningRangeFactory(outlet=outlet, weekday=2)
    assert detail(client, "PAUSED", at=NOON_WIB)["hours_today"] == ""


def test_the_list_has_no_hours_today(braga, client):
    response = client.get("/api/v1/outlets/", {"at": NOON_WIB})
    assert "hours_today" not in body(response)["results"][0]


@pytest.mark.parametrize("code", ["braga", "Braga", "BRAGA"])
def test_the_code_is_matched_in_any_case(braga, client, code):
    assert detail(client, code)["code"] == "BRAGA"


def test_a_permanently_closed_outlet_still_answers(vocabularies, client):
    OutletFactory(code="GONE", status=Outlet.Status.PERMANENTLY_CLOSED)
    assert detail(client, "GONE", at=NOON_WIB)["status"] == {
        "open_now": False,
        "state": "permanently_closed",
        "next_change": None,
        "label": "Permanently closed",
    }


def test_an_unknown_code_is_a_json_404(braga, client):
    response = client.get("/api/v1/outlets/NOPE/")
    assert response.status_code == 404
    assert body(response) == {"detail": "No outlet with code NOPE."}


@pytest.mark.parametrize("code", ["has space", "x" * 33, "semi;colon", "ümlaut"])
def test_a_code_that_cannot_exist_is_a_json_404(braga, client, code):
    response = client.get(f"/api/v1/outlets/{code}/")
    assert response.status_code == 404
    assert "detail" in body(response)
