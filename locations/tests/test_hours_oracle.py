"""Our rules agree with an independent evaluator (opening-hours-py) on weekly schedules.

Only weekly schedules are drawn: opening-hours-py lacks most Indonesian holidays, and it
reads dated rules the OSM way (a rule selecting the next day cuts an overnight range short),
which ours (README, "Opening-hours semantics") deliberately does not. Each day is written
as an *additional* rule (``, ``), which never cuts another day's overnight range, so both
readings agree.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from opening_hours import OpeningHours

from locations import hours
from locations.hours import Hours, HoursError, WeeklyRange

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
FIVE_MINUTES = st.integers(0, 24 * 12 - 1).map(lambda n: time(n // 12, n % 12 * 5))


@st.composite
def weekly_schedules(draw):
    ranges = []
    for weekday in range(7):
        for _ in range(draw(st.integers(0, 3))):
            ranges.append(WeeklyRange(weekday, draw(FIVE_MINUTES), draw(FIVE_MINUTES)))
    if draw(st.integers(0, 9)) == 0:
        ranges = list(Hours.always_open().weekly)
    value = Hours(weekly=tuple(sorted(set(ranges))))
    try:
        value.validate()
    except HoursError:
        assume(False)
    return value


def oracle_expression(value: Hours) -> str:
    """The weekly hours as OSM additional rules, one per day."""
    rules = []
    for weekday in range(7):
        day_ranges = value.ranges_on(weekday)
        if day_ranges:
            rules.append(f"{hours.WEEKDAYS[weekday]} {','.join(str(r) for r in day_ranges)}")
    return ", ".join(rules) or "off"


instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda dt: dt.replace(microsecond=0)
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    value=weekly_schedules(),
    local=instants,
    zone=st.sampled_from(ZONES),
    nudge=st.sampled_from([0, 0, 0, -1, 1]),
)
def test_open_now_and_next_change_agree_with_opening_hours_py(value, local, zone, nudge):
    tz = ZoneInfo(zone)
    # Nudged onto range boundaries often, where off-by-one mistakes live.
    if value.weekly and nudge:
        boundary = value.weekly[local.day % len(value.weekly)]
        local = local.replace(hour=boundary.opens.hour, minute=boundary.opens.minute, second=0)
        local += timedelta(seconds=nudge)
    instant = local.replace(tzinfo=tz)
    ours = hours.status(hours.compile_schedule(value, zone), instant)
    oracle = OpeningHours(oracle_expression(value), timezone=tz)
    assert ours.open_now == oracle.is_open(instant)
    # A weekly schedule that changes at all changes within a week. The oracle's intervals
    # over a bounded window answer that quickly (its next_change scans for years when a
    # schedule never changes).
    window_end = instant + timedelta(days=15)
    first = next(iter(oracle.intervals(instant, window_end)))
    expected = None if first[1] >= window_end else first[1]
    assert ours.next_change == expected
