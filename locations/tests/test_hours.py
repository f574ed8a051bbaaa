"""The opening-hours rules, one named test each, without a database."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from locations import hours
from locations.calendars import public_holidays
from locations.hours import DatedRule, Hours, HoursError, TimeRange, WeeklyRange, status

JAKARTA = ZoneInfo("Asia/Jakarta")
MAKASSAR = ZoneInfo("Asia/Makassar")
JAYAPURA = ZoneInfo("Asia/Jayapura")
# 2026-11-23 is a Monday.
MONDAY = date(2026, 11, 23)


def at(day: date, clock: str, zone=JAKARTA) -> datetime:
    hour, minute, *second = (int(part) for part in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, *second, tzinfo=zone)


def weekly(ranges: str, days=range(7)) -> tuple[WeeklyRange, ...]:
    """``"09:00-21:00"`` (comma-separated) on each of ``days``."""
    result = []
    for day in days:
        for part in ranges.split(","):
            opens, closes = part.split("-")
            closes = "00:00" if closes == "24:00" else closes
            result.append(WeeklyRange(day, time.fromisoformat(opens), time.fromisoformat(closes)))
    return tuple(result)


def schedule(hours_value: Hours, zone="Asia/Jakarta", lifecycle=hours.ACTIVE, holidays=None):
    return hours.compile_schedule(hours_value, zone, lifecycle, holidays)


def day_and_night():
    return schedule(Hours(weekly=weekly("09:00-21:00")))


# Boundaries -----------------------------------------------------------------------------


def test_open_at_the_first_second_of_a_range():
    assert status(day_and_night(), at(MONDAY, "09:00")).open_now is True


def test_closed_at_the_closing_time():
    assert status(day_and_night(), at(MONDAY, "21:00")).open_now is False


def test_open_one_second_before_closing():
    assert status(day_and_night(), at(MONDAY, "20:59:59")).open_now is True


def test_closed_one_second_before_opening():
    assert status(day_and_night(), at(MONDAY, "08:59:59")).open_now is False


def test_next_change_is_strictly_after_the_instant_asked_about():
    result = status(day_and_night(), at(MONDAY, "09:00"))
    assert result.next_change == at(MONDAY, "21:00")


def test_next_change_at_closing_time_is_the_next_opening():
    result = status(day_and_night(), at(MONDAY, "21:00"))
    assert result.next_change == at(MONDAY + timedelta(days=1), "09:00")


def test_next_change_carries_the_outlets_utc_offset():
    result = status(
        schedule(Hours(weekly=weekly("09:00-21:00")), "Asia/Makassar"),
        at(MONDAY, "10:00", MAKASSAR),
    )
    assert result.next_change.isoformat() == "2026-11-23T21:00:00+08:00"


# Overnight ------------------------------------------------------------------------------


def late_kiosk():
    return schedule(Hours(weekly=weekly("22:00-02:00")))


def test_kiosk_open_past_midnight_counts_as_open_at_0130():
    assert status(late_kiosk(), at(MONDAY + timedelta(days=1), "01:30")).open_now is True


def test_overnight_range_closes_at_0200_the_next_day():
    assert status(late_kiosk(), at(MONDAY + timedelta(days=1), "02:00")).open_now is False


def test_overnight_range_is_one_interval_changing_at_2200_and_0200():
    opening = status(late_kiosk(), at(MONDAY, "21:00")).next_change
    closing = status(late_kiosk(), at(MONDAY, "22:00")).next_change
    assert (opening, closing) == (at(MONDAY, "22:00"), at(MONDAY + timedelta(days=1), "02:00"))


def test_ranges_touching_at_midnight_are_one_stretch():
    value = Hours(weekly=weekly("18:00-24:00", [0]) + weekly("00:00-02:00", [1]))
    result = status(schedule(value), at(MONDAY, "23:00"))
    assert result.next_change == at(MONDAY + timedelta(days=1), "02:00")


def test_sunday_range_runs_into_monday_morning():
    value = Hours(weekly=weekly("22:00-02:00", [6]))
    result = status(schedule(value), at(MONDAY, "01:00"))
    assert result.open_now is True
    assert result.next_change == at(MONDAY, "02:00")


def test_sunday_evening_next_change_wraps_to_the_following_week():
    value = Hours(weekly=weekly("09:00-17:00", [0]))
    result = status(schedule(value), at(MONDAY + timedelta(days=6), "20:00"))
    assert result.next_change == at(MONDAY + timedelta(days=7), "09:00")


def test_equal_opening_and_closing_times_mean_24_hours():
    value = Hours(weekly=weekly("09:00-09:00", [0]))
    result = status(schedule(value), at(MONDAY + timedelta(days=1), "08:00"))
    assert result.open_now is True
    assert result.next_change == at(MONDAY + timedelta(days=1), "09:00")


# 24/7 and never -------------------------------------------------------------------------


def test_always_open_never_changes():
    result = status(schedule(Hours.always_open()), at(MONDAY, "03:00"))
    assert (result.open_now, result.state, result.next_change) == (True, "open", None)


def test_always_open_label():
    assert status(schedule(Hours.always_open()), at(MONDAY, "03:00")).label == "Open 24 hours"


def test_outlet_without_hours_is_closed_for_good():
    result = status(schedule(Hours()), at(MONDAY, "12:00"))
    assert (result.open_now, result.next_change, result.label) == (False, None, "Closed")


# Split ranges ---------------------------------------------------------------------------


def split_shift():
    return schedule(Hours(weekly=weekly("09:00-12:00,13:00-17:00", range(5))))


def test_split_shift_closed_over_lunch():
    result = status(split_shift(), at(MONDAY, "12:30"))
    assert (result.open_now, result.next_change) == (False, at(MONDAY, "13:00"))


def test_split_shift_morning_closes_at_noon():
    assert status(split_shift(), at(MONDAY, "11:00")).next_change == at(MONDAY, "12:00")


def test_closed_on_saturday_opens_monday():
    result = status(split_shift(), at(MONDAY + timedelta(days=5), "10:00"))
    assert result.next_change == at(MONDAY + timedelta(days=7), "09:00")


# States and labels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "state"),
    [
        ("08:29", "closed"),
        ("08:30", "opening_soon"),
        ("09:00", "open"),
        ("20:29", "open"),
        ("20:30", "closing_soon"),
        ("21:00", "closed"),
    ],
)
def test_state_soon_means_30_minutes_or_less(clock, state):
    assert status(day_and_night(), at(MONDAY, clock)).state == state


def test_label_open_names_closing_time_and_zone():
    assert status(day_and_night(), at(MONDAY, "10:00")).label == "Open · closes 21:00 WIB"


def test_label_closing_soon():
    assert status(day_and_night(), at(MONDAY, "20:45")).label == "Closing soon · closes 21:00 WIB"


def test_label_opening_soon_in_wita():
    value = schedule(Hours(weekly=weekly("09:00-21:00")), "Asia/Makassar")
    assert status(value, at(MONDAY, "08:45", MAKASSAR)).label == "Opening soon · opens 09:00 WITA"


def test_label_closed_names_the_day_when_not_within_a_day():
    value = schedule(Hours(weekly=weekly("09:00-17:00", [2])), "Asia/Jayapura")
    result = status(value, at(MONDAY, "10:00", JAYAPURA))
    assert result.label == "Closed · opens Wed 09:00 WIT"


def test_label_overnight_closing_shows_the_time_only():
    assert status(late_kiosk(), at(MONDAY, "23:00")).label == "Open · closes 02:00 WIB"


def test_label_far_change_shows_the_date():
    value = Hours(
        weekly=weekly("09:00-17:00"), dated=(DatedRule(date(2026, 11, 24), date(2026, 12, 10), ()),)
    )
    result = status(schedule(value), at(MONDAY, "18:00"))
    assert result.label == "Closed · opens 11 Dec 09:00 WIB"


def test_label_in_bahasa_indonesia():
    from django.utils import translation

    with translation.override("id"):
        label = status(day_and_night(), at(MONDAY, "10:00")).label
    assert label.startswith("Buka") and "21:00 WIB" in label


# Lifecycle ------------------------------------------------------------------------------


@pytest.mark.parametrize("lifecycle", [hours.TEMPORARILY_CLOSED, hours.PERMANENTLY_CLOSED])
def test_closed_outlets_are_never_open(lifecycle):
    result = status(schedule(Hours.always_open(), lifecycle=lifecycle), at(MONDAY, "12:00"))
    assert (result.open_now, result.state, result.next_change) == (False, lifecycle, None)


def test_temporarily_closed_label():
    value = schedule(Hours.always_open(), lifecycle=hours.TEMPORARILY_CLOSED)
    assert status(value, at(MONDAY, "12:00")).label == "Temporarily closed"


# Special hours --------------------------------------------------------------------------


def with_special(*rules, base="09:00-21:00"):
    return schedule(Hours(weekly=weekly(base), dated=tuple(rules)))


def test_special_closure_replaces_weekly_hours():
    value = with_special(DatedRule(MONDAY, MONDAY, (), "Renovation"))
    result = status(value, at(MONDAY, "12:00"))
    assert (result.open_now, result.next_change) == (False, at(MONDAY + timedelta(days=1), "09:00"))


def test_special_ranges_replace_weekly_ranges():
    value = with_special(DatedRule(MONDAY, MONDAY, (TimeRange(time(10), time(15)),)))
    assert status(value, at(MONDAY, "09:30")).open_now is False
    assert status(value, at(MONDAY, "10:00")).next_change == at(MONDAY, "15:00")


def test_special_closure_over_several_days():
    idul_fitri = DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Idul Fitri")
    value = with_special(idul_fitri)
    result = status(value, at(date(2026, 3, 19), "20:00"))
    assert result.next_change == at(date(2026, 3, 19), "21:00")
    closed = status(value, at(date(2026, 3, 22), "12:00"))
    assert (closed.open_now, closed.next_change) == (False, at(date(2026, 3, 25), "09:00"))


def test_special_closure_next_day_does_not_cut_overnight_part():
    value = with_special(
        DatedRule(MONDAY + timedelta(days=1), MONDAY + timedelta(days=1), ()), base="22:00-02:00"
    )
    result = status(value, at(MONDAY + timedelta(days=1), "01:00"))
    assert (result.open_now, result.next_change) == (True, at(MONDAY + timedelta(days=1), "02:00"))


def test_special_overnight_range_runs_into_the_next_day():
    value = with_special(DatedRule(MONDAY, MONDAY, (TimeRange(time(20), time(3)),)))
    result = status(value, at(MONDAY + timedelta(days=1), "02:00"))
    assert (result.open_now, result.next_change) == (True, at(MONDAY + timedelta(days=1), "03:00"))


def test_special_hours_in_the_past_leave_weekly_hours_alone():
    value = with_special(DatedRule(date(2025, 1, 1), date(2025, 1, 1), ()))
    assert status(value, at(MONDAY, "10:00")).open_now is True


# Public holidays ------------------------------------------------------------------------


INDONESIA = public_holidays("ID")


def closed_on_holidays(base="09:00-21:00", dated=(), holidays=INDONESIA):
    return schedule(
        Hours(weekly=weekly(base), dated=dated, closed_on_public_holidays=True), holidays=holidays
    )


def test_ph_off_closes_christmas():
    result = status(closed_on_holidays(), at(date(2026, 12, 25), "12:00"))
    assert (result.open_now, result.next_change) == (False, at(date(2026, 12, 26), "09:00"))


def test_ph_off_closes_idul_fitri_a_lunar_holiday():
    assert status(closed_on_holidays(), at(date(2026, 3, 21), "12:00")).open_now is False


def test_ph_off_closes_nyepi():
    assert status(closed_on_holidays(), at(date(2026, 3, 19), "12:00")).open_now is False


def test_holidays_do_not_close_outlets_open_on_holidays():
    value = schedule(Hours(weekly=weekly("09:00-21:00")), holidays=INDONESIA)
    assert status(value, at(date(2026, 12, 25), "12:00")).open_now is True


def test_the_day_before_a_holiday_closes_at_the_usual_time():
    result = status(closed_on_holidays(), at(date(2026, 12, 24), "12:00"))
    assert result.next_change == at(date(2026, 12, 24), "21:00")


def test_holiday_does_not_cut_the_overnight_part_of_the_day_before():
    result = status(closed_on_holidays(base="22:00-02:00"), at(date(2026, 12, 25), "01:00"))
    assert (result.open_now, result.next_change) == (True, at(date(2026, 12, 25), "02:00"))


def test_ph_off_comes_after_dated_rules():
    christmas = (
        DatedRule(date(2026, 12, 24), date(2026, 12, 26), (TimeRange(time(10), time(15)),)),
    )
    value = closed_on_holidays(dated=christmas)
    assert status(value, at(date(2026, 12, 24), "12:00")).open_now is True
    assert status(value, at(date(2026, 12, 25), "12:00")).open_now is False


def test_always_open_outlet_closed_on_holidays_changes_at_the_next_holiday():
    value = schedule(
        Hours(weekly=Hours.always_open().weekly, closed_on_public_holidays=True), holidays=INDONESIA
    )
    result = status(value, at(MONDAY, "12:00"))
    assert (result.open_now, result.next_change) == (True, at(date(2026, 12, 25), "00:00"))


def test_staff_added_holiday_closes():
    value = closed_on_holidays(holidays=public_holidays("ID", added=[MONDAY]))
    assert status(value, at(MONDAY, "12:00")).open_now is False


def test_staff_removed_holiday_opens():
    value = closed_on_holidays(holidays=public_holidays("ID", removed=[date(2026, 12, 25)]))
    assert status(value, at(date(2026, 12, 25), "12:00")).open_now is True


def test_holiday_in_its_own_zone_starts_at_local_midnight():
    value = closed_on_holidays(base="00:00-00:00", holidays=INDONESIA)
    value = schedule(
        Hours(weekly=weekly("00:00-00:00"), closed_on_public_holidays=True),
        "Asia/Jayapura",
        holidays=INDONESIA,
    )
    # 24 Dec 15:30 UTC is 25 Dec 00:30 in Jayapura: already Christmas there.
    result = status(value, datetime(2026, 12, 24, 15, 30, tzinfo=UTC))
    assert result.open_now is False


# Zones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "open_now", "state"),
    [
        ("Asia/Jakarta", False, "opening_soon"),
        ("Asia/Makassar", True, "open"),
        ("Asia/Jayapura", True, "open"),
    ],
)
def test_one_instant_in_the_three_zones(zone, open_now, state):
    # 01:30 UTC: 08:30 WIB, 09:30 WITA, 10:30 WIT.
    instant = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    result = status(schedule(Hours(weekly=weekly("09:00-17:00")), zone), instant)
    assert (result.open_now, result.state) == (open_now, state)


def test_the_instants_own_zone_does_not_matter():
    value = schedule(Hours(weekly=weekly("09:00-17:00")), "Asia/Makassar")
    instant = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    elsewhere = instant.astimezone(ZoneInfo("America/New_York"))
    assert status(value, instant) == status(value, elsewhere)


def test_the_servers_time_zone_does_not_matter(monkeypatch):
    import time as time_module

    value = schedule(Hours(weekly=weekly("09:00-17:00")), "Asia/Jayapura")
    instant = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    expected = status(value, instant)
    monkeypatch.setenv("TZ", "Pacific/Honolulu")
    time_module.tzset()
    try:
        assert status(value, instant) == expected
    finally:
        monkeypatch.undo()
        time_module.tzset()


# Validation -----------------------------------------------------------------------------


def test_overlapping_ranges_in_a_day_are_refused():
    with pytest.raises(HoursError, match="Mo: ranges overlap at 11:00"):
        Hours(weekly=weekly("09:00-12:00,11:00-13:00", [0])).validate()


def test_overnight_range_running_into_the_next_days_hours_is_refused():
    with pytest.raises(HoursError, match="Mo-Tu: ranges overlap at 01:00"):
        Hours(weekly=weekly("22:00-02:00", [0]) + weekly("01:00-05:00", [1])).validate()


def test_touching_ranges_are_allowed():
    Hours(weekly=weekly("09:00-12:00,12:00-15:00", [0])).validate()


def test_overlapping_special_dates_are_refused():
    rules = (
        DatedRule(date(2026, 3, 20), date(2026, 3, 24)),
        DatedRule(date(2026, 3, 22), date(2026, 3, 22)),
    )
    with pytest.raises(HoursError, match="overlap"):
        Hours(dated=rules).validate()


def test_special_hours_ending_before_they_start_are_refused():
    with pytest.raises(HoursError, match="before they start"):
        Hours(dated=(DatedRule(date(2026, 3, 24), date(2026, 3, 20)),)).validate()


def test_times_with_seconds_are_refused():
    with pytest.raises(HoursError, match="whole minutes"):
        Hours(weekly=(WeeklyRange(0, time(9, 0, 30), time(17)),)).validate()


# --- A day's hours as text -------------------------------------------------------------


def test_day_text_writes_a_range_in_local_clock_time_with_an_en_dash():
    assert hours.day_text(((8 * 3600, 22 * 3600),)) == "08:00–22:00"


def test_day_text_joins_several_ranges_with_a_comma():
    spans = ((9 * 3600, 12 * 3600), (13 * 3600 + 30 * 60, 21 * 3600))
    assert hours.day_text(spans) == "09:00–12:00, 13:30–21:00"


def test_day_text_ends_an_overnight_range_on_the_next_day_s_clock():
    assert hours.day_text(((22 * 3600, 26 * 3600),)) == "22:00–02:00"


def test_day_text_ends_a_range_closing_at_midnight_at_24_00():
    assert hours.day_text(((18 * 3600, 24 * 3600),)) == "18:00–24:00"


def test_day_text_of_a_day_closed_all_day_is_empty():
    assert hours.day_text(()) == ""


def test_day_text_of_a_schedule_s_day_follows_special_hours():
    christmas_eve = date(2026, 12, 24)
    rule = DatedRule(christmas_eve, christmas_eve, (TimeRange(time(10), time(15)),))
    compiled = schedule(Hours(weekly=weekly("09:00-21:00"), dated=(rule,)))
    assert hours.day_text(compiled.day_spans(christmas_eve.toordinal())) == "10:00–15:00"
    assert hours.day_text(compiled.day_spans(MONDAY.toordinal())) == "09:00–21:00"


# --- The days ahead (an outlet's page) ---------------------------------------------------

CHRISTMAS = date(2026, 12, 25)  # a Friday, a public holiday in Indonesia
HOUR = 3600


def test_hours_text_of_a_closed_day():
    assert hours.hours_text(()) == "Closed"


def test_hours_text_of_a_day_open_from_midnight_to_midnight_is_open_24_hours():
    assert hours.hours_text(((0, 24 * HOUR),)) == "Open 24 hours"


def test_hours_text_of_two_ranges_covering_the_day_is_open_24_hours():
    assert hours.hours_text(((0, 12 * HOUR), (12 * HOUR, 24 * HOUR))) == "Open 24 hours"


def test_hours_text_marks_a_range_past_midnight_as_ending_the_next_day():
    assert hours.hours_text(((20 * HOUR, 26 * HOUR),)) == "20:00–02:00 (next day)"


def test_hours_text_of_a_range_closing_at_midnight_ends_at_24_00_that_day():
    assert hours.hours_text(((18 * HOUR, 24 * HOUR),)) == "18:00–24:00"


def test_hours_text_of_24_hours_from_a_morning_is_not_the_whole_day():
    assert hours.hours_text(((8 * HOUR, 32 * HOUR),)) == "08:00–08:00 (next day)"


def test_date_label_names_weekday_day_and_month():
    assert hours.date_label(date(2026, 11, 30)) == "Mon 30 Nov"


def test_week_ahead_is_seven_dates_from_the_first_day():
    week = hours.week_ahead(day_and_night(), date(2026, 11, 25))
    assert [day.day for day in week] == [date(2026, 11, 25) + timedelta(days=n) for n in range(7)]
    assert {day.text for day in week} == {"09:00–21:00"}
    assert {day.kind for day in week} == {""}


def test_week_ahead_closes_a_public_holiday_and_names_it():
    names = {CHRISTMAS: "Christmas Day"}
    week = hours.week_ahead(
        closed_on_holidays(),
        date(2026, 12, 23),
        holiday_names=names,
    )
    christmas = week[2]
    assert (christmas.day, christmas.text, christmas.usual_text) == (
        CHRISTMAS,
        "Closed",
        "09:00–21:00",
    )
    assert (christmas.kind, christmas.reason) == (hours.DayHours.HOLIDAY, "Christmas Day")


def test_week_ahead_gives_a_holiday_without_a_known_name_a_generic_one():
    week = hours.week_ahead(closed_on_holidays(), CHRISTMAS)
    assert week[0].reason == "Public holiday"


def test_week_ahead_keeps_the_usual_hours_on_a_holiday_when_the_outlet_opens_on_holidays():
    christmas = hours.week_ahead(day_and_night(), CHRISTMAS, days=1)[0]
    assert (christmas.text, christmas.kind) == ("09:00–21:00", "")


def test_week_ahead_agrees_with_status_on_a_holiday():
    compiled = closed_on_holidays()
    christmas = hours.week_ahead(compiled, CHRISTMAS, days=1)[0]
    assert christmas.text == "Closed"
    assert not status(compiled, at(CHRISTMAS, "12:00")).open_now


def test_week_ahead_shows_special_hours_with_their_reason():
    rule = DatedRule(CHRISTMAS, CHRISTMAS, (TimeRange(time(10), time(15)),), "Short day")
    compiled = schedule(Hours(weekly=weekly("09:00-21:00"), dated=(rule,)))
    christmas = hours.week_ahead(compiled, CHRISTMAS, days=1, dated=(rule,))[0]
    assert (christmas.text, christmas.kind, christmas.reason) == (
        "10:00–15:00",
        hours.DayHours.SPECIAL,
        "Short day",
    )


def test_week_ahead_lets_a_holiday_win_over_special_hours():
    rule = DatedRule(CHRISTMAS, CHRISTMAS, (TimeRange(time(10), time(15)),), "Short day")
    compiled = closed_on_holidays(dated=(rule,))
    christmas = hours.week_ahead(compiled, CHRISTMAS, days=1, dated=(rule,))[0]
    assert (christmas.text, christmas.kind) == ("Closed", hours.DayHours.HOLIDAY)


def test_a_week_open_24_hours_every_day_is_said_once():
    week = hours.week_ahead(schedule(Hours.always_open()), MONDAY)
    assert hours.all_day_every_day(week)


def test_a_holiday_in_a_24_hour_week_keeps_the_days_apart():
    week = hours.week_ahead(closed_on_holidays("00:00-24:00"), date(2026, 12, 23))
    assert not hours.all_day_every_day(week)
    assert [day.text for day in week][1:3] == ["Open 24 hours", "Closed"]


def test_special_days_ahead_joins_consecutive_dates_alike():
    rule = DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Idul Fitri")
    compiled = schedule(Hours(weekly=weekly("09:00-21:00"), dated=(rule,)))
    (days,) = hours.special_days_ahead(compiled, date(2026, 3, 1), dated=(rule,))
    assert (days.first, days.last, days.text, days.reason) == (
        date(2026, 3, 20),
        date(2026, 3, 24),
        "Closed",
        "Idul Fitri",
    )


def test_special_days_ahead_start_today_and_drop_the_past():
    past = DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Idul Fitri")
    current = DatedRule(date(2026, 11, 20), date(2026, 11, 26), (), "Renovation")
    compiled = schedule(Hours(weekly=weekly("09:00-21:00"), dated=(past, current)))
    (days,) = hours.special_days_ahead(compiled, date(2026, 11, 25), dated=(past, current))
    assert (days.first, days.last) == (date(2026, 11, 25), date(2026, 11, 26))


def test_special_days_ahead_list_closing_holidays_within_the_horizon_only():
    compiled = closed_on_holidays()
    names = {CHRISTMAS: "Christmas Day"}
    days = hours.special_days_ahead(
        compiled, date(2026, 12, 1), holiday_names=names, holiday_days=30
    )
    assert [(d.first, d.kind, d.reason) for d in days] == [
        (CHRISTMAS, hours.DayHours.HOLIDAY, "Christmas Day")
    ]


def test_a_holiday_splits_the_special_hours_around_it():
    rule = DatedRule(date(2026, 12, 24), date(2026, 12, 26), (TimeRange(time(10), time(15)),))
    compiled = closed_on_holidays(dated=(rule,))
    days = hours.special_days_ahead(compiled, date(2026, 12, 20), dated=(rule,), holiday_days=7)
    assert [(d.first, d.last, d.text) for d in days] == [
        (date(2026, 12, 24), date(2026, 12, 24), "10:00–15:00"),
        (CHRISTMAS, CHRISTMAS, "Closed"),
        (date(2026, 12, 26), date(2026, 12, 26), "10:00–15:00"),
    ]


# Open intervals ahead ---------------------------------------------------------------------


def assert_intervals_agree_with_status(value, start, days=hours.INTERVALS_DAYS, step_minutes=7):
    """At every instant of the period (every few minutes, and a second either side of
    each interval's ends), inside an interval exactly when status says open."""
    intervals = hours.open_intervals(value, start, days)
    end = start + timedelta(days=days)
    for (a, b), (c, _) in itertools.pairwise(intervals):
        assert a < b < c, "ordered, apart, not empty"
    instants = [start + timedelta(minutes=m) for m in range(0, days * 1440, step_minutes)]
    for a, b in intervals:
        instants += [a, b - timedelta(seconds=1), b, a - timedelta(seconds=1)]
    for instant in instants:
        if not start <= instant < end:
            continue
        inside = any(a <= instant < b for a, b in intervals)
        assert inside == status(value, instant).open_now, instant
    return intervals


def test_open_intervals_of_a_day_and_night_outlet():
    start = at(MONDAY, "10:30:15")
    intervals = assert_intervals_agree_with_status(day_and_night(), start)
    assert intervals[0] == (start, at(MONDAY, "21:00"))
    assert intervals[1] == (
        at(MONDAY + timedelta(days=1), "09:00"),
        at(MONDAY + timedelta(1), "21:00"),
    )
    # 30 days on, the period ends within that morning's opening: cut there.
    assert len(intervals) == 31
    assert intervals[-1] == (at(MONDAY + timedelta(30), "09:00"), start + timedelta(days=30))


def test_open_intervals_past_midnight_in_each_zone():
    for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
        value = schedule(Hours(weekly=weekly("22:00-02:00")), zone=zone)
        start = at(MONDAY, "01:00", ZoneInfo(zone))
        intervals = assert_intervals_agree_with_status(value, start)
        assert intervals[0] == (start, at(MONDAY, "02:00", ZoneInfo(zone)))
        assert intervals[1][0] == at(MONDAY, "22:00", ZoneInfo(zone))


def test_open_intervals_keep_holidays_special_hours_and_round_the_clock():
    christmas = DatedRule(date(2026, 12, 24), date(2026, 12, 24), (TimeRange(time(10), time(14)),))
    value = closed_on_holidays(dated=(christmas,))
    intervals = assert_intervals_agree_with_status(value, at(date(2026, 12, 20), "00:00"))
    days = {a.astimezone(JAKARTA).date() for a, _ in intervals}
    assert date(2026, 12, 25) not in days  # Christmas Day, PH off
    assert (at(date(2026, 12, 24), "10:00"), at(date(2026, 12, 24), "14:00")) in intervals
    always = schedule(Hours(weekly=weekly("00:00-24:00")))
    start = at(MONDAY, "08:00")
    assert hours.open_intervals(always, start) == [(start, start + timedelta(days=30))]


def test_an_outlet_not_active_has_no_open_interval():
    value = schedule(Hours(weekly=weekly("00:00-24:00")), lifecycle=hours.TEMPORARILY_CLOSED)
    assert hours.open_intervals(value, at(MONDAY, "12:00")) == []
