"""Holiday notices: the public holidays of the coming week, said on the locator, and on the
page of each outlet whose hours they change.

Pure rules on dates, names and a compiled schedule; the model layer finds the holidays
(:meth:`~locations.models.HolidayDateQuerySet.ahead`).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext

from . import hours as hours_rules

#: A holiday is announced this many days ahead (on the day itself too).
NOTICE_DAYS = 7

# A name's trailing remark in brackets, "(estimated)", is no part of the holiday's name.
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class Holiday:
    """A holiday of one or more consecutive dates, named by its first."""

    name: str
    first: date
    last: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def when(self) -> str:
        """``March 21``, ``March 21–22`` or ``March 31 – April 1``, in the active
        language's own form."""
        first = formats.date_format(self.first, "MONTH_DAY_FORMAT")
        if self.last == self.first:
            return first
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            # Translators: dates of one month, such as "March 21–22" ("21–22 Maret").
            return gettext("{month} {first}–{last}").format(
                month=formats.date_format(self.first, "F"),
                first=self.first.day,
                last=self.last.day,
            )
        return f"{first} – {formats.date_format(self.last, 'MONTH_DAY_FORMAT')}"


def _same_holiday(earlier: str, later: str) -> bool:
    """Is ``later`` a further day of ``earlier`` ("Eid al-Fitr Second Day" of "Eid
    al-Fitr")? Two holidays side by side (Vesak Day, then Pancasila Day) are not."""
    base = _REMARK.sub("", earlier).casefold()
    return bool(base) and base in later.casefold()


def holidays(dates: Iterable[date], names: Mapping[date, str]) -> list[Holiday]:
    """``dates`` as holidays: consecutive dates of one holiday are one :class:`Holiday`.
    A date without a name is a "Public holiday"."""
    runs: list[Holiday] = []
    for day in sorted(set(dates)):
        name = names.get(day) or gettext("Public holiday")
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and previous.last == day - timedelta(days=1)
            and _same_holiday(previous.name, name)
        ):
            runs[-1] = Holiday(previous.name, previous.first, day)
        else:
            runs.append(Holiday(name, day, day))
    return runs


def locator_notices(ahead: Iterable[Holiday]) -> list[str]:
    """What the locator says of the holidays ``ahead``."""
    return [
        gettext("{holiday}, {dates}: many outlets have special hours or are closed.").format(
            holiday=holiday.name, dates=holiday.when
        )
        for holiday in ahead
    ]


def outlet_notices(ahead: Iterable[Holiday], schedule: hours_rules.Schedule, dated=()):
    """What an outlet's page says of the holidays ``ahead`` that change its hours (by
    ``schedule``: closed on public holidays, or special hours on those dates)."""
    notices = []
    for holiday in ahead:
        days = [hours_rules.day_hours(schedule, day, dated) for day in holiday.days]
        changed = [day for day in days if day.kind]
        if not changed:
            continue
        if len(changed) == len(days) and not any(day.spans for day in changed):
            text = gettext("{holiday}, {dates}: this outlet is closed.")
        else:
            text = gettext("{holiday}, {dates}: this outlet has special hours.")
        notices.append(text.format(holiday=holiday.name, dates=holiday.when))
    return notices
