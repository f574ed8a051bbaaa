"""Opening-hours rules, in plain Python.

Nothing here touches the database or the request: the model layer turns rows into an
:class:`Hours` value, :func:`compile_schedule` prepares it once, and :func:`status` answers
"is it open at this instant, and when does that change?" for any instant.

The rules (as the README's "Opening-hours semantics" states them):

* Weekly ranges are in the outlet's local time. A range whose end is not after its start
  runs past midnight into the next day; ``opens == closes`` is a whole 24 hours.
* A range belongs to the day it starts on: special hours or a holiday on the next day do
  not cut short the part after midnight.
* Dated rules (special hours) replace the weekly ranges on the dates they cover; then, for
  an outlet closed on public holidays (``PH off``), a public holiday closes the whole local
  date, dated rule or not (OSM order: weekly rules, dated rules, ``PH off`` last).
* Ranges include their start and exclude their end. Open time that runs on across midnight
  is one interval, so ``next_change`` is the end of the whole stretch.
* Temporarily and permanently closed outlets are never open.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: The weekdays' codes in OpenStreetMap ``opening_hours``, by ``date.weekday()`` number
#: (0 is Monday): the one list the parser, the API and the model's weekdays follow.
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

#: An outlet's lifecycle (``Outlet.status``, the CSV's ``status`` column).
ACTIVE = "active"
TEMPORARILY_CLOSED = "temporarily_closed"
PERMANENTLY_CLOSED = "permanently_closed"

OPEN = "open"
CLOSING_SOON = "closing_soon"
OPENING_SOON = "opening_soon"
CLOSED = "closed"

#: Every ``state`` :func:`status` can answer: an active outlet's four, and the lifecycle
#: of a closed one.
STATES = (OPEN, CLOSING_SOON, OPENING_SOON, CLOSED, TEMPORARILY_CLOSED, PERMANENTLY_CLOSED)

#: How close a change must be for "closing soon" / "opening soon".
SOON = timedelta(minutes=30)

#: Indonesia's three zones, by IANA name; other zones show their own abbreviation.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_label(zone: str) -> str:
    """How a zone is named to people: WIB, WITA or WIT, or else its IANA name."""
    return ZONE_ABBREVIATIONS.get(zone, zone)


DAY = 86400
WEEK = 7 * DAY
#: How far ahead :func:`status` looks for a change before answering "never".
HORIZON_DAYS = 2 * 366
#: The longest date range one dated rule may cover.
MAX_DATED_DAYS = 366


class HoursError(ValueError):
    """Opening hours that break a rule (overlapping ranges, bad dates)."""


@dataclass(frozen=True, order=True)
class TimeRange:
    """``opens``-``closes`` in local time; past midnight when ``closes <= opens``."""

    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    def seconds(self) -> tuple[int, int]:
        """Start and end in seconds from the start of the day it belongs to (end may pass 86400)."""
        start = self.opens.hour * 3600 + self.opens.minute * 60 + self.opens.second
        end = self.closes.hour * 3600 + self.closes.minute * 60 + self.closes.second
        if end <= start:
            end += DAY
        return start, end

    def __str__(self) -> str:
        closes = "24:00" if self.closes == time(0) and self.overnight else f"{self.closes:%H:%M}"
        return f"{self.opens:%H:%M}-{closes}"


@dataclass(frozen=True, order=True)
class WeeklyRange:
    """A range on one weekday (0 is Monday)."""

    weekday: int
    opens: time
    closes: time

    @property
    def range(self) -> TimeRange:
        return TimeRange(self.opens, self.closes)


@dataclass(frozen=True)
class DatedRule:
    """Special hours from ``start`` to ``end`` inclusive: ``ranges``, or closed when empty."""

    start: date
    end: date
    ranges: tuple[TimeRange, ...] = ()
    reason: str = ""

    @property
    def closed(self) -> bool:
        return not self.ranges


@dataclass(frozen=True)
class Hours:
    """An outlet's opening hours: weekly ranges, dated rules, and ``PH off``."""

    weekly: tuple[WeeklyRange, ...] = ()
    dated: tuple[DatedRule, ...] = ()
    closed_on_public_holidays: bool = False

    @classmethod
    def always_open(cls) -> Hours:
        return cls(weekly=tuple(WeeklyRange(day, time(0), time(0)) for day in range(7)))

    @property
    def is_always_open(self) -> bool:
        """Every weekday open from 00:00 for 24 hours: ``24/7``."""
        return sorted(self.weekly) == sorted(Hours.always_open().weekly)

    def ranges_on(self, weekday: int) -> tuple[TimeRange, ...]:
        return tuple(sorted(r.range for r in self.weekly if r.weekday == weekday))

    def validate(self) -> None:
        """Raise :class:`HoursError` naming the first broken rule."""
        for weekly in self.weekly:
            if not 0 <= weekly.weekday <= 6:
                raise HoursError(f"weekday {weekly.weekday} is not 0 (Monday) to 6 (Sunday)")
        for value in [t for r in self.weekly for t in (r.opens, r.closes)] + [
            t for rule in self.dated for r in rule.ranges for t in (r.opens, r.closes)
        ]:
            if value.second or value.microsecond:
                raise HoursError(f"{value}: opening hours are in whole minutes")
        validate_day_ranges(self.weekly)
        dated = sorted(self.dated, key=lambda rule: rule.start)
        for rule in dated:
            if rule.end < rule.start:
                raise HoursError(f"special hours end {rule.end} before they start {rule.start}")
            if (rule.end - rule.start).days >= MAX_DATED_DAYS:
                raise HoursError(
                    f"special hours {rule.start}..{rule.end} span more than {MAX_DATED_DAYS} days"
                )
            check_no_overlap(rule.ranges, f"special hours {rule.start}")
            spans = sorted(r.seconds() for r in rule.ranges)
            if rule.end > rule.start and spans and max(e for _, e in spans) - DAY > spans[0][0]:
                # Each day of the rule repeats the ranges: one must not run into the next.
                raise HoursError(
                    f"special hours {rule.start}..{rule.end}: a range runs into the next "
                    "day's hours"
                )
        for earlier, later in pairwise(dated):
            if later.start <= earlier.end:
                raise HoursError(
                    f"special hours {earlier.start}..{earlier.end} and "
                    f"{later.start}..{later.end} overlap"
                )


def check_no_overlap(ranges, where: str) -> None:
    """Ranges of one day must not overlap (touching is fine: 09:00-12:00,12:00-15:00)."""
    spans = sorted(r.seconds() for r in ranges)
    for (_start1, end1), (start2, _end2) in pairwise(spans):
        if start2 < end1:
            raise HoursError(f"{where}: ranges overlap at {_clock(start2 % DAY)}")


def validate_day_ranges(weekly) -> None:
    """No two weekly ranges may cover the same moment, across midnight and Sunday included."""
    spans = sorted(
        (r.weekday * DAY + start, r.weekday * DAY + end, r.weekday)
        for r in weekly
        for start, end in [r.range.seconds()]
    )
    # Sorted by start, an overlap always shows between neighbours (Sunday's next is Monday).
    for index, (_start, end, weekday) in enumerate(spans):
        next_start, _next_end, next_day = spans[(index + 1) % len(spans)]
        if index + 1 == len(spans):
            next_start += WEEK
        if len(spans) > 1 and next_start < end:
            where = WEEKDAYS[weekday]
            if next_day != weekday:
                where += f"-{WEEKDAYS[next_day]}"
            raise HoursError(f"{where}: ranges overlap at {_clock(next_start % DAY)}")


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"


def day_text(spans) -> str:
    """One day's ranges, as :meth:`Schedule.day_spans` gives them (seconds from that day's
    midnight), as text: ``08:00–12:00, 13:00–22:00``; empty when closed all day.

    A range past midnight ends on the next day's clock (``22:00–02:00``), as a shop's door
    says it; one ending at midnight itself says ``24:00``.
    """
    return ", ".join(
        f"{_clock(start)}–{_clock(end if end <= DAY else end - DAY)}" for start, end in spans
    )


# --- Public holidays -------------------------------------------------------------------


class PublicHolidays:
    """The public-holiday dates of one country, loaded a year at a time.

    ``dates_for_year(year)`` returns that year's holiday dates (the model layer joins the
    ``holidays`` package's calendar with the dates staff added or removed).
    """

    def __init__(self, dates_for_year):
        self._dates_for_year = dates_for_year
        self._years: set[int] = set()
        self._ordinals: set[int] = set()
        self._sorted: list[int] = []

    def _load(self, first: int, last: int) -> None:
        for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1):
            if year not in self._years:
                self._years.add(year)
                self._ordinals.update(d.toordinal() for d in self._dates_for_year(year))
                self._sorted = sorted(self._ordinals)

    def __contains__(self, day) -> bool:
        ordinal = day if isinstance(day, int) else day.toordinal()
        self._load(ordinal, ordinal)
        return ordinal in self._ordinals

    def any_between(self, first: int, last: int) -> bool:
        """Is any date with an ordinal in ``first..last`` a holiday?"""
        self._load(first, last)
        index = bisect_right(self._sorted, first - 1)
        return index < len(self._sorted) and self._sorted[index] <= last


NO_HOLIDAYS = PublicHolidays(lambda year: ())


# --- Compiled schedules ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    """An outlet's hours prepared for fast, repeated :func:`status` calls.

    Times are seconds. ``week`` holds the weekly open stretches on the circle of the week
    (seconds from Monday 00:00, merged across midnight and from Sunday into Monday);
    ``special`` maps a date's ordinal to its ranges (empty: closed).
    """

    zone: ZoneInfo
    abbreviation: str
    lifecycle: str
    by_weekday: tuple[tuple[tuple[int, int], ...], ...]
    week_starts: tuple[int, ...]
    week_spans: tuple[tuple[int, int], ...]
    always_open: bool
    special: dict[int, tuple[tuple[int, int], ...]] = field(hash=False)
    special_days: tuple[int, ...]
    holidays: PublicHolidays | None
    #: The hours it was compiled from (an outlet's page lists them).
    hours: Hours | None = field(default=None, compare=False, repr=False)

    def day_spans(self, ordinal: int) -> tuple[tuple[int, int], ...]:
        """The ranges that start on this date, after special hours and holidays."""
        if self.holidays is not None and ordinal in self.holidays:
            return ()
        spans = self.special.get(ordinal)
        if spans is not None:
            return spans
        return self.by_weekday[(ordinal - 1) % 7]


def compile_schedule(
    hours: Hours,
    timezone: str,
    lifecycle: str = ACTIVE,
    holidays: PublicHolidays | None = None,
) -> Schedule:
    """Prepare ``hours`` of an outlet in ``timezone`` for :func:`status`.

    ``holidays`` is the outlet's country calendar; it only matters when the hours say
    ``PH off``.
    """
    by_weekday = tuple(tuple(r.seconds() for r in hours.ranges_on(day)) for day in range(7))
    spans = sorted(
        (day * DAY + start, day * DAY + end)
        for day, day_spans in enumerate(by_weekday)
        for start, end in day_spans
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # Sunday's last stretch may run into (or past) Monday's first one.
    if len(merged) > 1 and merged[-1][1] >= merged[0][0] + WEEK:
        first = merged.pop(0)
        merged[-1][1] = max(merged[-1][1], first[1] + WEEK)
    always_open = len(merged) == 1 and merged[0][1] - merged[0][0] >= WEEK
    # Copies one week either side, so a lookup never has to wrap.
    extended = [(s + shift, e + shift) for shift in (-WEEK, 0, WEEK) for s, e in merged]
    special = {}
    for rule in hours.dated:
        spans_of_rule = tuple(sorted(r.seconds() for r in rule.ranges))
        for ordinal in range(rule.start.toordinal(), rule.end.toordinal() + 1):
            special[ordinal] = spans_of_rule
    zone = ZoneInfo(timezone)
    return Schedule(
        zone=zone,
        abbreviation=ZONE_ABBREVIATIONS.get(timezone, ""),
        lifecycle=lifecycle,
        by_weekday=by_weekday,
        week_starts=tuple(s for s, _ in extended),
        week_spans=tuple(extended),
        always_open=always_open,
        special=special,
        special_days=tuple(sorted(special)),
        holidays=(holidays or NO_HOLIDAYS) if hours.closed_on_public_holidays else None,
        hours=hours,
    )


# --- Status at an instant --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Status:
    """Whether an outlet is open at an instant, and when that next changes."""

    open_now: bool
    state: str
    next_change: datetime | None
    #: The instant asked about, in the outlet's zone (for the label).
    local: datetime
    abbreviation: str

    @property
    def label(self) -> str:
        """A human line such as ``Open · closes 21:00 WIB``, in the active language."""
        return status_label(self)


def status(schedule: Schedule, at: datetime) -> Status:
    """The status of an outlet with ``schedule`` at the aware instant ``at``."""
    local = at.astimezone(schedule.zone)
    if schedule.lifecycle != ACTIVE:
        return Status(False, schedule.lifecycle, None, local, schedule.abbreviation)
    day = local.toordinal()
    now = day * DAY + local.hour * 3600 + local.minute * 60 + local.second
    answer = _weekly_answer(schedule, day, now)
    if answer is None:
        answer = _walk(schedule, day, now)
    open_now, change = answer
    if change is None:
        next_change = None
        soon = False
    else:
        next_change = local.replace(microsecond=0) + timedelta(seconds=change - now)
        soon = change - now <= SOON.seconds
    if open_now:
        state = CLOSING_SOON if soon else OPEN
    else:
        state = OPENING_SOON if soon else CLOSED
    return Status(open_now, state, next_change, local, schedule.abbreviation)


def _weekly_answer(schedule: Schedule, day: int, now: int) -> tuple[bool, int | None] | None:
    """The answer from weekly hours alone, or None when a dated rule or holiday may change it.

    Only the day before (its ranges may run past midnight) up to the day of the change
    can matter, so the weekly answer stands when none of those days is special.
    """
    week_start = (day - (day - 1) % 7) * DAY
    if schedule.always_open or not schedule.week_spans:
        open_now, change, last_day = schedule.always_open, None, None
    else:
        at = now - week_start
        index = bisect_right(schedule.week_starts, at) - 1
        end = schedule.week_spans[index][1]
        if at < end:
            open_now, change = True, week_start + end
        else:
            open_now, change = False, week_start + schedule.week_starts[index + 1]
        last_day = change // DAY
    first_day = day - 1
    special_days = schedule.special_days
    if special_days:
        index = bisect_right(special_days, first_day - 1)
        if index < len(special_days) and (last_day is None or special_days[index] <= last_day):
            return None
    holidays = schedule.holidays
    if (
        holidays is not None
        and schedule.week_spans
        and (last_day is None or holidays.any_between(first_day, last_day))
    ):
        return None
    return open_now, change


def _walk(schedule: Schedule, day: int, now: int) -> tuple[bool, int | None]:
    """The answer from each day's ranges in turn: the general rule, for special days."""
    stretch_end = None
    for ordinal in range(day - 1, day + HORIZON_DAYS):
        base = ordinal * DAY
        for start, end in schedule.day_spans(ordinal):
            start += base
            end += base
            if stretch_end is None:
                if start > now:
                    return False, start
                if now < end:
                    stretch_end = end
            elif start <= stretch_end:
                stretch_end = max(stretch_end, end)
            else:
                return True, stretch_end
        if stretch_end is not None and stretch_end < base + DAY:
            # Nothing starting later can touch a stretch that ends before the next day.
            return True, stretch_end
    return stretch_end is not None, None


# --- Open intervals ahead (pages shown later without a connection) ---------------------

#: How far ahead a page states an outlet's open intervals, for its script to work out the
#: status at a later instant when the page is shown from a stored copy.
INTERVALS_DAYS = 30


def open_intervals(
    schedule: Schedule, start: datetime, days: int = INTERVALS_DAYS
) -> list[tuple[datetime, datetime]]:
    """The outlet's open stretches within ``[start, start + days)``, as aware instants
    (cut at both ends), found with :func:`status` itself: whatever :func:`status` says at
    an instant of the period, the instant lies in one of these exactly when it says open
    (an outlet that is not active has none)."""
    end = start + timedelta(days=days)
    intervals = []
    at = start
    while at < end:
        now = status(schedule, at)
        change = now.next_change
        if now.open_now:
            intervals.append((at, end if change is None or change > end else change))
        if change is None or change >= end:
            break
        at = change
    return intervals


# --- Labels ----------------------------------------------------------------------------


def weekday_name(weekday: int) -> str:
    return (
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    )[weekday]


def month_name(month: int) -> str:
    return (
        pgettext("month", "Jan"),
        pgettext("month", "Feb"),
        pgettext("month", "Mar"),
        pgettext("month", "Apr"),
        pgettext("month", "May"),
        pgettext("month", "Jun"),
        pgettext("month", "Jul"),
        pgettext("month", "Aug"),
        pgettext("month", "Sep"),
        pgettext("month", "Oct"),
        pgettext("month", "Nov"),
        pgettext("month", "Dec"),
    )[month - 1]


def day_month(day: int, month: int) -> str:
    """``21 Mar``, in the active language's order."""
    return pgettext("date", "%(day)s %(month)s") % {"day": day, "month": month_name(month)}


def when_label(local: datetime, change: datetime, abbreviation: str) -> str:
    """``21:00 WIB`` today or within the next 24 hours, ``Tue 09:00 WIB`` within a week,
    ``21 Mar 09:00 WIB`` beyond."""
    clock = f"{change:%H:%M}"
    if change.date() == local.date() or change - local < timedelta(hours=24):
        text = clock
    elif change - local < timedelta(days=6):
        text = f"{weekday_name(change.weekday())} {clock}"
    else:
        text = f"{day_month(change.day, change.month)} {clock}"
    zone = abbreviation or change.tzname() or ""
    return f"{text} {zone}".strip()


def status_label(status: Status) -> str:
    """The human line for a :class:`Status`, e.g. ``Closed · opens Tue 09:00 WIB``."""
    if status.state == TEMPORARILY_CLOSED:
        return _("Temporarily closed")
    if status.state == PERMANENTLY_CLOSED:
        return _("Permanently closed")
    if status.next_change is None:
        return _("Open 24 hours") if status.open_now else _("Closed")
    when = when_label(status.local, status.next_change, status.abbreviation)
    if status.state == CLOSING_SOON:
        return _("Closing soon · closes %(when)s") % {"when": when}
    if status.state == OPEN:
        return _("Open · closes %(when)s") % {"when": when}
    if status.state == OPENING_SOON:
        return _("Opening soon · opens %(when)s") % {"when": when}
    return _("Closed · opens %(when)s") % {"when": when}


# --- The days ahead (an outlet's page) ----------------------------------------------------

#: How far ahead an outlet's page lists the public holidays that close it.
HOLIDAYS_AHEAD_DAYS = 60


def is_all_day(spans) -> bool:
    """Do a day's spans (seconds from its midnight) cover it from 00:00 to 24:00?"""
    reach = 0
    for start, end in sorted(spans):
        if start > reach:
            return False
        reach = max(reach, end)
    return reach >= DAY


def hours_text(spans) -> str:
    """A day's hours for a reader: ``Closed``, ``Open 24 hours``, or its ranges, one that
    runs past midnight marked ``22:00–02:00 (next day)`` so it is not read as the morning
    of the same day."""
    if not spans:
        return _("Closed")
    if is_all_day(spans):
        return _("Open 24 hours")
    return ", ".join(
        _("%(hours)s (next day)") % {"hours": day_text((span,))}
        if span[1] > DAY
        else day_text((span,))
        for span in spans
    )


def date_label(day: date) -> str:
    """``Mon 30 Nov``, in the active language."""
    return pgettext("date", "%(weekday)s %(day)s %(month)s") % {
        "weekday": weekday_name(day.weekday()),
        "day": day.day,
        "month": month_name(day.month),
    }


@dataclass(frozen=True)
class DayHours:
    """One date's hours and, when they are not the usual week's, why.

    ``spans`` are :meth:`Schedule.day_spans` (so a page agrees with :func:`status`);
    ``usual`` are the weekly hours of that weekday. ``kind`` says why the day differs:
    :attr:`HOLIDAY` (a public holiday closes the outlet; ``reason`` is its name) or
    :attr:`SPECIAL` (special hours; ``reason`` is theirs, possibly empty); empty on a
    usual day.
    """

    HOLIDAY = "holiday"
    SPECIAL = "special"

    day: date
    spans: tuple[tuple[int, int], ...]
    usual: tuple[tuple[int, int], ...]
    kind: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        return date_label(self.day)

    @property
    def text(self) -> str:
        return hours_text(self.spans)

    @property
    def usual_text(self) -> str:
        return hours_text(self.usual)

    @property
    def all_day(self) -> bool:
        return is_all_day(self.spans)


def day_hours(schedule: Schedule, day: date, dated=(), holiday_names=None) -> DayHours:
    """The hours of ``day`` by ``schedule``; ``dated`` (the :class:`DatedRule` s the
    schedule was compiled from) give the special hours' reasons, ``holiday_names`` (a
    mapping of dates to names) the holidays' names."""
    ordinal = day.toordinal()
    spans = schedule.day_spans(ordinal)
    usual = schedule.by_weekday[day.weekday()]
    if schedule.holidays is not None and ordinal in schedule.holidays:
        name = (holiday_names or {}).get(day) or _("Public holiday")
        return DayHours(day, spans, usual, DayHours.HOLIDAY, name)
    if ordinal in schedule.special:
        reason = next((rule.reason for rule in dated if rule.start <= day <= rule.end), "")
        return DayHours(day, spans, usual, DayHours.SPECIAL, reason)
    return DayHours(day, spans, usual)


def week_ahead(
    schedule: Schedule, first_day: date, days: int = 7, dated=(), holiday_names=None
) -> list[DayHours]:
    """The hours of ``days`` dates from ``first_day`` on (see :func:`day_hours`)."""
    return [
        day_hours(schedule, first_day + timedelta(days=offset), dated, holiday_names)
        for offset in range(days)
    ]


def all_day_every_day(days) -> bool:
    """Is every one of ``days`` (:class:`DayHours`) open all day? Such a week is said once,
    not day by day."""
    return bool(days) and all(day.all_day for day in days)


@dataclass(frozen=True)
class SpecialDays:
    """Consecutive dates, ``first`` to ``last``, alike in hours that are not the usual
    week's: ``kind`` and ``reason`` as in :class:`DayHours`."""

    first: date
    last: date
    spans: tuple[tuple[int, int], ...]
    kind: str
    reason: str

    @property
    def text(self) -> str:
        return hours_text(self.spans)


def special_days_ahead(
    schedule: Schedule,
    first_day: date,
    dated=(),
    holiday_names=None,
    holiday_days: int = HOLIDAYS_AHEAD_DAYS,
) -> list[SpecialDays]:
    """The days from ``first_day`` on that are not like the usual week: every date of
    special hours, and the public holidays that close the outlet in the next
    ``holiday_days``; consecutive dates alike are one :class:`SpecialDays`.

    A holiday inside special hours splits them, as it closes the outlet (``PH off`` wins).
    """
    first = first_day.toordinal()
    ordinals = {ordinal for ordinal in schedule.special_days if ordinal >= first}
    if schedule.holidays is not None:
        ordinals.update(o for o in range(first, first + holiday_days) if o in schedule.holidays)
    runs: list[SpecialDays] = []
    for ordinal in sorted(ordinals):
        day = day_hours(schedule, date.fromordinal(ordinal), dated, holiday_names)
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and previous.last.toordinal() == ordinal - 1
            and (previous.spans, previous.kind, previous.reason)
            == (day.spans, day.kind, day.reason)
        ):
            runs[-1] = SpecialDays(previous.first, day.day, day.spans, day.kind, day.reason)
        else:
            runs.append(SpecialDays(day.day, day.day, day.spans, day.kind, day.reason))
    return runs
