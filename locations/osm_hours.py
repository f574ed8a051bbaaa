"""OpenStreetMap ``opening_hours`` text to and from :class:`~locations.hours.Hours`.

Only the subset the model can hold is understood:

* rules separated by ``;``, and OSM "additional rules" separated by ``,`` before a weekday
  selector (``Mo 22:00-02:00, Tu 09:00-17:00``), which add to the days they select instead of
  replacing them;
* ``24/7``; weekday selectors (``Mo``, ``Mo-Fr``, ``Fr-Mo``, ``Sa,Su``, ``Mo-We,Fr``) with time
  lists (``09:00-12:00,13:00-17:00``) or ``off``/``closed``; time lists alone (every day);
  a bare ``off``;
* ``PH off`` / ``PH closed``;
* dated rules with absolute dates (``2026 Mar 20-24 off "Idul Fitri"``,
  ``2026 Dec 24 10:00-15:00``), the optional comment being the reason.

Anything else raises :class:`OsmSyntaxError` naming the construct, so an importer never
guesses at hours it cannot represent.

Dated rules and ``PH off`` are kept apart from the weekly rules wherever they appear: the
model, not the rule order, decides how they combine (see :mod:`locations.hours`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from locations.hours import WEEKDAYS, DatedRule, Hours, HoursError, TimeRange, WeeklyRange

__all__ = ["OsmSyntaxError", "parse", "render"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_WEEKDAY_NUMBERS = {name.lower(): number for number, name in enumerate(WEEKDAYS)}
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
_OFF_WORDS = {"off", "closed"}

# ``open_end``, ``fallback`` and ``unclosed`` are tokens only so the error can name them
# whole ("10:00+" rather than "+"). The comment pattern stops at the next quote, so ``;``
# and ``,`` inside a reason never split rules.
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>"[^"]*")
    | (?P<unclosed>"[^"]*)
    | (?P<always>24/7)
    | (?P<open_end>\d{1,2}:\d{2}\+)
    | (?P<time>\d{1,2}:\d{2})
    | (?P<number>\d+)
    | (?P<word>[A-Za-z]+)
    | (?P<fallback>\|\|)
    | (?P<symbol>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class OsmSyntaxError(ValueError):
    """``opening_hours`` text that is malformed or outside the supported subset."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Weekly:
    """A weekly rule: ``days`` is ``None`` for every day; no ranges means closed."""

    days: frozenset[int] | None
    ranges: tuple[TimeRange, ...]


_ALWAYS = "24/7"
_PH_OFF = "PH off"


def parse(text: str) -> Hours:
    """Parse OSM ``opening_hours`` text into validated :class:`Hours`.

    ``weekly`` comes back sorted by (weekday, opens) and ``dated`` by start date, so the
    result compares equal to any other normalised :class:`Hours` with the same meaning.
    Raises :class:`OsmSyntaxError` for malformed or unsupported text, and for hours that
    fail :meth:`Hours.validate` (same message as the :class:`HoursError`).
    """
    rules = _split_rules(text, _tokenize(text))
    if not rules:
        # An empty tag means "no data", not "always closed": refuse rather than guess.
        raise OsmSyntaxError("empty opening_hours")

    week: dict[int, list[TimeRange]] = {day: [] for day in range(7)}
    dated: list[DatedRule] = []
    closed_on_public_holidays = False
    for tokens, additional in rules:
        rule = _Rule(text, tokens).parse()
        if rule == _ALWAYS:
            for day in week:
                week[day] = [TimeRange(time(0), time(0))]
        elif rule == _PH_OFF:
            closed_on_public_holidays = True
        elif isinstance(rule, DatedRule):
            dated.append(rule)
        else:
            for day in rule.days if rule.days is not None else week:
                # An additional rule adds its ranges; ``off`` closes the days either way.
                if additional and rule.ranges:
                    week[day].extend(rule.ranges)
                else:
                    week[day] = list(rule.ranges)

    hours = Hours(
        weekly=tuple(
            sorted(
                WeeklyRange(day, timerange.opens, timerange.closes)
                for day, ranges in week.items()
                for timerange in ranges
            )
        ),
        dated=tuple(sorted(dated, key=lambda rule: (rule.start, rule.end))),
        closed_on_public_holidays=closed_on_public_holidays,
    )
    try:
        hours.validate()
    except HoursError as error:
        raise OsmSyntaxError(str(error)) from error
    return hours


def render(hours: Hours) -> str:
    """Write ``hours`` as canonical OSM ``opening_hours`` text.

    Weekly rules first (weekdays with identical ranges grouped, groups in weekday order,
    closed days left out; ``24/7`` when open round the clock), then dated rules by date,
    then ``PH off``; ``off`` when there is nothing at all. ``hours`` is expected to be
    valid (see :meth:`Hours.validate`); values OSM cannot express — a ``"`` in a reason,
    times with seconds — raise :class:`HoursError` rather than being altered silently.
    """
    rules = []
    if hours.is_always_open:
        rules.append("24/7")
    else:
        groups: dict[tuple[TimeRange, ...], list[int]] = {}
        for day in range(7):
            ranges = hours.ranges_on(day)
            if ranges:
                groups.setdefault(ranges, []).append(day)
        # Days are visited in order, so the groups already come by their first weekday.
        rules.extend(
            f"{_render_days(days)} {_render_ranges(ranges)}" for ranges, days in groups.items()
        )
    for rule in sorted(hours.dated, key=lambda rule: (rule.start, rule.end)):
        rules.append(_render_dated(rule))
    if hours.closed_on_public_holidays:
        rules.append("PH off")
    return "; ".join(rules) or "off"


def _tokenize(text: str) -> list[_Token]:
    return [
        _Token(match.lastgroup, match.group(), match.start(), match.end())
        for match in _TOKEN.finditer(text)
        if match.lastgroup != "space"
    ]


def _split_rules(text: str, tokens: list[_Token]) -> list[tuple[list[_Token], bool]]:
    """Cut the tokens into rules: ``(tokens, additional)``, empty rules dropped.

    A comma starts an additional rule when it closes a complete rule (after a time, ``off``
    or a comment) and a weekday or ``PH`` follows. A comma after a weekday continues a
    weekday list (``Sa,Su``, or liberally ``Sa, Su``); before a time it continues a time
    list (``09:00-12:00, 13:00-17:00``).
    """
    rules: list[tuple[list[_Token], bool]] = []
    current: list[_Token] = []
    additional = False
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.text == ";":
            if current:
                rules.append((current, additional))
            current, additional = [], False
        elif (
            token.text == ","
            and current
            and _ends_rule(current[-1])
            and following is not None
            and _kind(following) in ("weekday", "ph")
        ):
            rules.append((current, additional))
            current, additional = [], True
        else:
            current.append(token)
    if current:
        rules.append((current, additional))
    return rules


def _ends_rule(token: _Token) -> bool:
    return token.kind in ("time", "comment") or _kind(token) == "off"


def _kind(token: _Token) -> str:
    """Token kind with words sorted into weekday, month, off, PH or an unknown word."""
    if token.kind != "word":
        return token.kind
    word = token.text.lower()
    if word in _WEEKDAY_NUMBERS:
        return "weekday"
    if word in _MONTH_NUMBERS:
        return "month"
    if word in _OFF_WORDS:
        return "off"
    if word == "ph":
        return "ph"
    return "word"


class _Rule:
    """Recursive-descent parser over the tokens of one rule."""

    def __init__(self, source: str, tokens: list[_Token]):
        self.tokens = tokens
        self.text = source[tokens[0].start : tokens[-1].end]
        self.position = 0

    def parse(self) -> str | DatedRule | _Weekly:
        """The rule as ``_ALWAYS``, ``_PH_OFF``, a :class:`DatedRule` or a :class:`_Weekly`."""
        for token in self.tokens:
            # Words we do not know (sunrise, SH, easter, week, open, unknown...), open ends
            # and fallbacks are named on their own: that is the construct to fix.
            if _kind(token) in ("word", "open_end", "fallback", "unclosed"):
                raise self.unsupported(token.text)
        first = self.peek()
        if first.kind == "always":
            self.take()
            self.finish()
            return _ALWAYS
        if _kind(first) == "ph":
            self.take()
            if not self.accept("off") or self.peek() is not None:
                raise self.unsupported()
            return _PH_OFF
        if first.kind == "number" and len(first.text) == 4:
            return self.dated()
        days = self.weekdays() if _kind(first) == "weekday" else None
        ranges = self.state()
        self.finish()
        return _Weekly(days, ranges)

    def dated(self) -> DatedRule:
        start = self.date(None)
        end = self.date(start) if self.accept("-") else start
        ranges = self.state()
        comment = self.accept("comment")
        self.finish()
        return DatedRule(start, end, ranges, comment.text[1:-1] if comment else "")

    def date(self, start: date | None) -> date:
        """``YYYY Mon DD``; after a start date the end may leave out the year, or both."""
        year_token = self.peek()
        year = month = None
        if year_token is not None and year_token.kind == "number" and len(year_token.text) == 4:
            year = int(self.take().text)
        month_token = self.accept("month")
        if month_token:
            month = _MONTH_NUMBERS[month_token.text.lower()]
        day_token = self.expect("number")
        if len(day_token.text) > 2 or (year is not None and month is None):
            raise self.unsupported()
        if start is None and (year is None or month is None):
            raise self.unsupported()
        if start is not None:
            year = start.year if year is None else year
            month = start.month if month is None else month
        day = int(day_token.text)
        try:
            return date(year, month, day)
        except ValueError:
            raise OsmSyntaxError(
                f"invalid date '{year} {MONTHS[month - 1]} {day}' in '{self.text}'"
            ) from None

    def weekdays(self) -> frozenset[int]:
        """Weekdays, day ranges (wrapping past Sunday) and comma lists of both."""
        days: set[int] = set()
        while True:
            first = self.weekday()
            last = self.weekday() if self.accept("-") else first
            days.update((first + offset) % 7 for offset in range((last - first) % 7 + 1))
            following = self.peek(1)
            if not (self.peek_is(",") and following is not None and _kind(following) == "weekday"):
                return frozenset(days)
            self.take()

    def weekday(self) -> int:
        return _WEEKDAY_NUMBERS[self.expect("weekday").text.lower()]

    def state(self) -> tuple[TimeRange, ...]:
        """``off``/``closed`` (no ranges) or a comma-separated list of time ranges."""
        if self.accept("off"):
            return ()
        ranges = [self.time_range()]
        while self.accept(","):
            ranges.append(self.time_range())
        return tuple(sorted(ranges))

    def time_range(self) -> TimeRange:
        opens = self.clock(self.expect("time"), end=False)
        self.expect("-")
        closes = self.clock(self.expect("time"), end=True)
        return TimeRange(opens, closes)

    def clock(self, token: _Token, end: bool) -> time:
        """``HH:MM`` with hours 0-23, or ``24:00`` as an end (stored as midnight)."""
        hour, minute = (int(part) for part in token.text.split(":"))
        if minute > 59 or hour > 24 or (hour == 24 and (minute or not end)):
            raise OsmSyntaxError(f"invalid time '{token.text}' in '{self.text}'")
        return time(hour % 24, minute)

    def finish(self) -> None:
        token = self.peek()
        if token is None:
            return
        if token.kind == "comment":
            # Only dated rules carry a reason; elsewhere a comment has nowhere to go.
            raise self.unsupported(token.text)
        raise self.unsupported()

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def peek_is(self, kind_or_symbol: str) -> bool:
        token = self.peek()
        if token is None:
            return False
        return _kind(token) == kind_or_symbol or (
            token.kind == "symbol" and token.text == kind_or_symbol
        )

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def accept(self, kind_or_symbol: str) -> _Token | None:
        """Take the next token if it is of this kind (or is this symbol)."""
        return self.take() if self.peek_is(kind_or_symbol) else None

    def expect(self, kind_or_symbol: str) -> _Token:
        token = self.accept(kind_or_symbol)
        if token is None:
            raise self.unsupported()
        return token

    def unsupported(self, construct: str | None = None) -> OsmSyntaxError:
        """The error naming ``construct``, or the whole rule when no one token is to blame."""
        if construct is None or construct == self.text:
            return OsmSyntaxError(f"unsupported construct '{self.text}'")
        return OsmSyntaxError(f"unsupported construct '{construct}' in '{self.text}'")


def _render_days(days: list[int]) -> str:
    """Sorted weekdays as runs: three or more consecutive days ``Mo-Fr``, else listed."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]}-{WEEKDAYS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS[day] for day in run)
    return ",".join(parts)


def _render_ranges(ranges: tuple[TimeRange, ...]) -> str:
    for timerange in ranges:
        for moment in (timerange.opens, timerange.closes):
            if moment.second or moment.microsecond:
                raise HoursError(f"OSM opening_hours has no seconds: {moment}")
    # TimeRange's own text is already OSM: "-24:00" for ranges ending at midnight.
    return ",".join(str(timerange) for timerange in sorted(ranges))


def _render_dated(rule: DatedRule) -> str:
    if '"' in rule.reason:
        raise HoursError(f"a reason cannot contain '\"' in OSM opening_hours: {rule.reason}")
    text = _render_date(rule.start)
    if rule.end != rule.start:
        text += f"-{_render_date(rule.end)}"
    text += " " + (_render_ranges(rule.ranges) if rule.ranges else "off")
    if rule.reason:
        text += f' "{rule.reason}"'
    return text


def _render_date(day: date) -> str:
    return f"{day.year:04d} {MONTHS[day.month - 1]} {day.day:02d}"
