"""OSM ``opening_hours`` interchange: parsing the supported subset, rejecting the rest by
name, canonical rendering, and round trips (examples plus a hypothesis property)."""

from datetime import date, time, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from locations.hours import DatedRule, Hours, HoursError, TimeRange, WeeklyRange
from locations.osm_hours import OsmSyntaxError, parse, render

MIDNIGHT = time(0)


def t(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def weekly(days, *ranges: str) -> tuple[WeeklyRange, ...]:
    """Weekly ranges for ``days`` (weekday numbers), ranges as ``"09:00-17:00"``."""
    return tuple(
        WeeklyRange(day, t(opens), t(closes))
        for day in days
        for opens, closes in (text.split("-") for text in ranges)
    )


def hours(*weekly_parts, dated=(), ph=False) -> Hours:
    """Normalised :class:`Hours`, the way :func:`parse` returns them."""
    return Hours(
        weekly=tuple(sorted(range_ for part in weekly_parts for range_ in part)),
        dated=tuple(dated),
        closed_on_public_holidays=ph,
    )


# --- parsing the supported constructs ------------------------------------------------------


def test_parse_24_7_is_every_day_from_midnight_for_24_hours():
    assert parse("24/7") == Hours(
        weekly=tuple(WeeklyRange(d, MIDNIGHT, MIDNIGHT) for d in range(7))
    )


def test_parse_single_weekday():
    assert parse("Mo 09:00-17:00") == hours(weekly([0], "09:00-17:00"))


def test_parse_weekday_range():
    assert parse("Mo-Fr 09:00-17:00") == hours(weekly(range(5), "09:00-17:00"))


def test_parse_weekday_range_wrapping_past_sunday():
    assert parse("Fr-Mo 10:00-12:00") == hours(weekly([4, 5, 6, 0], "10:00-12:00"))


def test_parse_weekday_list():
    assert parse("Sa,Su 10:00-14:00") == hours(weekly([5, 6], "10:00-14:00"))


def test_parse_weekday_ranges_and_list_mixed():
    assert parse("Mo-We,Fr 10:00-14:00") == hours(weekly([0, 1, 2, 4], "10:00-14:00"))


def test_parse_time_list_without_weekdays_applies_to_every_day():
    assert parse("10:00-22:00") == hours(weekly(range(7), "10:00-22:00"))


def test_parse_time_list():
    assert parse("Mo-Fr 08:00-12:00,13:00-17:00") == hours(
        weekly(range(5), "08:00-12:00", "13:00-17:00")
    )


def test_parse_time_list_tolerates_space_after_comma():
    assert parse("Mo 09:00-12:00, 13:00-17:00") == parse("Mo 09:00-12:00,13:00-17:00")


def test_parse_end_24_00_is_stored_as_midnight():
    assert parse("Mo 18:00-24:00") == hours((WeeklyRange(0, t("18:00"), MIDNIGHT),))


def test_parse_end_before_start_runs_past_midnight():
    assert parse("Fr 22:00-02:00") == hours((WeeklyRange(4, t("22:00"), t("02:00")),))


def test_parse_single_digit_hour():
    assert parse("Mo 9:00-17:00") == parse("Mo 09:00-17:00")


def test_parse_is_liberal_on_case_and_whitespace():
    assert parse("  mo-FR   09:00 - 17:00 ;  ") == parse("Mo-Fr 09:00-17:00")


def test_parse_ignores_empty_rules_from_trailing_semicolon():
    assert parse("Mo 09:00-17:00;") == parse("Mo 09:00-17:00")


def test_parse_weekday_off_closes_those_days():
    assert parse("Mo-Sa 09:00-17:00; Su off") == hours(weekly(range(6), "09:00-17:00"))


def test_parse_closed_means_off():
    assert parse("Mo-Su 09:00-17:00; Sa,Su closed") == parse("Mo-Fr 09:00-17:00")


def test_parse_bare_off_has_no_weekly_hours():
    assert parse("off") == Hours()


def test_parse_later_rule_replaces_earlier_on_its_days():
    assert parse("Mo-Fr 09:00-17:00; We 09:00-12:00") == hours(
        weekly([0, 1, 3, 4], "09:00-17:00"), weekly([2], "09:00-12:00")
    )


def test_parse_additional_rule_adds_to_its_days():
    assert parse("Mo-Fr 09:00-12:00, We 14:00-18:00") == hours(
        weekly(range(5), "09:00-12:00"), weekly([2], "14:00-18:00")
    )


def test_parse_additional_rule_after_overnight_range():
    assert parse("Mo 22:00-02:00, Tu 09:00-17:00") == hours(
        weekly([0], "22:00-02:00"), weekly([1], "09:00-17:00")
    )


def test_parse_additional_off_closes_its_days():
    assert parse("Mo-Fr 09:00-17:00, We off") == hours(weekly([0, 1, 3, 4], "09:00-17:00"))


def test_parse_comma_space_between_weekdays_is_still_a_weekday_list():
    assert parse("Sa, Su 10:00-14:00") == parse("Sa,Su 10:00-14:00")


def test_parse_ph_off():
    assert parse("Mo-Fr 09:00-17:00; PH off") == hours(weekly(range(5), "09:00-17:00"), ph=True)


def test_parse_ph_closed():
    assert parse("PH closed") == Hours(closed_on_public_holidays=True)


def test_parse_dated_range_closed_with_reason():
    assert parse('2026 Mar 20-2026 Mar 24 off "Idul Fitri"').dated == (
        DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Idul Fitri"),
    )


def test_parse_dated_range_short_form_within_a_month():
    assert parse("2026 Mar 20-24 off") == parse("2026 Mar 20-2026 Mar 24 off")


def test_parse_dated_range_end_without_year():
    assert parse("2026 Mar 30-Apr 2 off").dated == (DatedRule(date(2026, 3, 30), date(2026, 4, 2)),)


def test_parse_dated_range_across_years():
    assert parse("2026 Dec 31-2027 Jan 1 closed").dated == (
        DatedRule(date(2026, 12, 31), date(2027, 1, 1)),
    )


def test_parse_dated_single_day_with_hours():
    assert parse("2026 Dec 24 10:00-15:00").dated == (
        DatedRule(date(2026, 12, 24), date(2026, 12, 24), (TimeRange(t("10:00"), t("15:00")),)),
    )


def test_parse_dated_single_day_with_time_list():
    rule = parse("2026 Dec 24 10:00-12:00,13:00-15:00").dated[0]
    assert rule.ranges == (
        TimeRange(t("10:00"), t("12:00")),
        TimeRange(t("13:00"), t("15:00")),
    )


def test_parse_dated_month_is_case_insensitive():
    assert parse("2026 MAR 20 off") == parse("2026 Mar 20 off")


def test_parse_reason_may_hold_semicolons_and_commas():
    assert parse('2026 Mar 20 off "Nyepi; Mo, Tu"').dated[0].reason == "Nyepi; Mo, Tu"


def test_parse_text_with_only_dated_rules_has_no_weekly_hours():
    assert parse("2026 Dec 24 10:00-15:00").weekly == ()


def test_parse_keeps_dated_rules_and_ph_apart_wherever_they_appear():
    assert parse('PH off; 2026 Mar 20 off "x"; Mo 09:00-12:00') == hours(
        weekly([0], "09:00-12:00"),
        dated=[DatedRule(date(2026, 3, 20), date(2026, 3, 20), (), "x")],
        ph=True,
    )


def test_parse_dated_rule_may_cover_days_with_weekly_hours():
    result = parse("Mo-Fr 09:00-17:00; 2026 Mar 20 off")
    assert len(result.weekly) == 5
    assert result.dated == (DatedRule(date(2026, 3, 20), date(2026, 3, 20)),)


def test_parse_sorts_weekly_and_dated():
    result = parse("Tu 13:00-14:00; Mo 12:00-13:00,09:00-10:00; 2026 Dec 1 off; 2026 Jan 1 off")
    assert list(result.weekly) == sorted(result.weekly)
    assert [rule.start for rule in result.dated] == [date(2026, 1, 1), date(2026, 12, 1)]


# --- rejecting what the model cannot hold --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "construct"),
    [
        ("PH 10:00-14:00", "'PH 10:00-14:00'"),
        ("SH off", "'SH'"),
        ("easter off", "'easter'"),
        ("week 01-10 Mo 10:00-12:00", "'week'"),
        ("Jan-Mar 10:00-12:00", "Jan-Mar"),
        ("Mo-Fr sunrise-18:00", "'sunrise'"),
        ("Mo-Fr 08:00-sunset", "'sunset'"),
        ("Mo 10:00+", "'10:00+'"),
        ('Mo 10:00-12:00 || "by appointment"', "'||'"),
        ("unknown", "'unknown'"),
        ("Mo-Fr 10:00-12:00 open", "'open'"),
        ('Mo-Fr 09:00-17:00 "lunch break"', "'\"lunch break\"'"),
        ("2026 10:00-12:00", "'2026 10:00-12:00'"),
        ("Dec 24 off", "'Dec 24 off'"),
        ("Su,PH off", "'Su,PH off'"),
        ("Mo[1] 10:00-12:00", "'Mo[1] 10:00-12:00'"),
        ("Mo", "'Mo'"),
        ('2026 Dec 24 off "no end', "'\"no end'"),
    ],
)
def test_parse_rejects_unsupported_construct_by_name(text, construct):
    with pytest.raises(OsmSyntaxError, match="unsupported construct") as error:
        parse(text)
    assert construct in str(error.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mo 24:00-25:00", "invalid time '24:00'"),
        ("Mo 10:00-25:00", "invalid time '25:00'"),
        ("Mo 22:00-26:00", "invalid time '26:00'"),
        ("Mo 10:60-12:00", "invalid time '10:60'"),
        ("Mo 10:00-24:30", "invalid time '24:30'"),
    ],
)
def test_parse_rejects_times_out_of_range(text, message):
    with pytest.raises(OsmSyntaxError, match=message):
        parse(text)


def test_parse_rejects_invalid_date():
    with pytest.raises(OsmSyntaxError, match="invalid date '2026 Feb 30'"):
        parse("2026 Feb 30 off")


def test_parse_rejects_dated_end_before_start():
    with pytest.raises(OsmSyntaxError, match="end 2026-03-20 before they start 2026-03-24"):
        parse("2026 Mar 24-20 off")


def test_parse_rejects_overlapping_dated_rules():
    with pytest.raises(OsmSyntaxError, match="overlap"):
        parse("2026 Mar 20-24 off; 2026 Mar 24 10:00-12:00")


def test_parse_rejects_overlapping_ranges_on_one_day():
    with pytest.raises(OsmSyntaxError, match="Mo: ranges overlap at 11:00"):
        parse("Mo 09:00-12:00,11:00-13:00")


def test_parse_rejects_overnight_range_overlapping_next_day():
    with pytest.raises(OsmSyntaxError, match="Mo-Tu: ranges overlap at 01:00"):
        parse("Mo 22:00-02:00; Tu 01:00-03:00")


def test_parse_validation_error_is_still_an_hours_error_cause():
    with pytest.raises(OsmSyntaxError) as error:
        parse("Mo 09:00-12:00,11:00-13:00")
    assert isinstance(error.value.__cause__, HoursError)


@pytest.mark.parametrize("text", ["", "   ", ";", " ; ; "])
def test_parse_rejects_empty_text(text):
    with pytest.raises(OsmSyntaxError, match="empty"):
        parse(text)


# --- canonical rendering -------------------------------------------------------------------


def test_render_nothing_is_off():
    assert render(Hours()) == "off"


def test_render_always_open_is_24_7():
    assert render(Hours.always_open()) == "24/7"


def test_render_same_ranges_every_day_is_mo_su():
    assert render(hours(weekly(range(7), "10:00-22:00"))) == "Mo-Su 10:00-22:00"


def test_render_groups_days_with_identical_ranges_in_weekday_order():
    value = hours(weekly([5], "10:00-14:00"), weekly(range(5), "09:00-17:00"))
    assert render(value) == "Mo-Fr 09:00-17:00; Sa 10:00-14:00"


def test_render_lists_two_consecutive_days_and_ranges_three_or_more():
    value = hours(weekly([0, 1, 2, 4, 5, 6], "09:00-17:00"))
    assert render(value) == "Mo-We,Fr-Su 09:00-17:00"
    assert render(hours(weekly([5, 6], "09:00-17:00"))) == "Sa,Su 09:00-17:00"


def test_render_omits_closed_days():
    assert render(hours(weekly([0, 3], "09:00-17:00"))) == "Mo,Th 09:00-17:00"


def test_render_sorts_ranges_within_a_day():
    value = Hours(weekly=weekly([0], "13:00-17:00", "08:00-12:00"))
    assert render(value) == "Mo 08:00-12:00,13:00-17:00"


def test_render_range_ending_at_midnight_as_24_00():
    assert render(hours(weekly([0], "18:00-00:00"))) == "Mo 18:00-24:00"


def test_render_24_hours_from_midnight_on_one_day_as_00_00_24_00():
    assert render(hours(weekly([0], "00:00-00:00"))) == "Mo 00:00-24:00"


def test_render_overnight_range_keeps_its_end():
    assert render(hours(weekly([6], "22:00-02:00"))) == "Su 22:00-02:00"


def test_render_dated_rules_in_date_order_then_ph_off_last():
    value = Hours(
        weekly=weekly(range(6), "10:00-22:00"),
        dated=(
            DatedRule(date(2026, 12, 24), date(2026, 12, 24), (TimeRange(t("10:00"), t("15:00")),)),
            DatedRule(date(2026, 3, 20), date(2026, 3, 24), (), "Idul Fitri"),
        ),
        closed_on_public_holidays=True,
    )
    assert render(value) == (
        'Mo-Sa 10:00-22:00; 2026 Mar 20-2026 Mar 24 off "Idul Fitri"; '
        "2026 Dec 24 10:00-15:00; PH off"
    )


def test_render_without_weekly_hours_writes_only_dated_rules_and_ph():
    value = Hours(
        dated=(
            DatedRule(date(2026, 12, 24), date(2026, 12, 24), (TimeRange(t("10:00"), t("15:00")),)),
        ),
        closed_on_public_holidays=True,
    )
    assert render(value) == "2026 Dec 24 10:00-15:00; PH off"
    assert parse(render(value)) == value


def test_render_pads_day_of_month():
    value = Hours(dated=(DatedRule(date(2026, 4, 2), date(2026, 4, 2)),))
    assert render(value) == "2026 Apr 02 off"


def test_render_refuses_quote_in_reason():
    value = Hours(dated=(DatedRule(date(2026, 3, 20), date(2026, 3, 20), (), 'say "hi"'),))
    with pytest.raises(HoursError, match="reason"):
        render(value)


def test_render_refuses_seconds():
    value = Hours(weekly=(WeeklyRange(0, time(9, 0, 30), time(17)),))
    with pytest.raises(HoursError, match="seconds"):
        render(value)


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "off",
        "24/7",
        "24/7; PH off",
        "Mo-Fr 09:00-17:00; Sa 10:00-14:00",
        "Mo-Su 22:00-02:00",
        "Mo-Fr 08:00-12:00,13:00-17:00",
        'Mo-Sa 10:00-22:00; 2026 Mar 20-2026 Mar 24 off "Idul Fitri"; PH off',
        "Su 22:00-02:00",
        "Mo 00:00-24:00",
        "Mo 10:00-10:00",
        "Mo-We,Fr 09:00-17:00; Sa,Su 10:00-24:00",
        "PH off",
        "2026 Dec 24 10:00-12:00,13:00-15:00; 2026 Dec 31-2027 Jan 01 off",
    ],
)
def test_canonical_text_round_trips(text):
    assert render(parse(text)) == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("mo-fr 9:00-17:00;", "Mo-Fr 09:00-17:00"),
        ("Mo-Su 00:00-24:00", "24/7"),
        ("Fr-Mo 10:00-12:00", "Mo,Fr-Su 10:00-12:00"),
        ("Mo 22:00-02:00, Tu 09:00-17:00", "Mo 22:00-02:00; Tu 09:00-17:00"),
        ("2026 Mar 20-24 off", "2026 Mar 20-2026 Mar 24 off"),
        ('2026 Mar 30-Apr 2 closed ""', "2026 Mar 30-2026 Apr 02 off"),
        ("PH closed; Mo 00:00-00:00", "Mo 00:00-24:00; PH off"),
    ],
)
def test_render_of_parse_is_canonical(text, canonical):
    assert render(parse(text)) == canonical


STEP = 5  # minutes
STEPS_PER_DAY = 24 * 60 // STEP


def _clock(step: int) -> time:
    minutes = step % STEPS_PER_DAY * STEP
    return time(minutes // 60, minutes % 60)


@st.composite
def day_ranges(draw) -> list[TimeRange]:
    """Up to three ranges of one day on 5-minute steps, in order and not overlapping; the
    last may run past midnight (a full 24 hours is ``opens == closes``)."""
    ranges = []
    start = draw(st.integers(0, STEPS_PER_DAY - 1))
    for _ in range(draw(st.integers(0, 3))):
        end = start + draw(st.integers(1, STEPS_PER_DAY))
        ranges.append(TimeRange(_clock(start), _clock(end)))
        start = end + draw(st.integers(0, 48))
        if start >= STEPS_PER_DAY:
            break
    return ranges


@st.composite
def dated_rules(draw) -> tuple[DatedRule, ...]:
    """Dated rules in date order with gaps between them, so they never overlap."""
    rules = []
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    for _ in range(draw(st.integers(0, 3))):
        end = start + timedelta(days=draw(st.integers(0, 40)))
        reason = draw(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ", max_size=20)
        )
        rules.append(DatedRule(start, end, tuple(draw(day_ranges())), reason))
        start = end + timedelta(days=draw(st.integers(1, 60)))
    return tuple(rules)


@st.composite
def valid_hours(draw) -> Hours:
    # Random ranges almost never make exactly 24/7, so draw it on purpose now and then.
    if draw(st.integers(0, 9)) == 0:
        week = Hours.always_open().weekly
    else:
        week = tuple(
            sorted(
                WeeklyRange(day, timerange.opens, timerange.closes)
                for day in range(7)
                for timerange in draw(day_ranges())
            )
        )
    value = Hours(
        weekly=week, dated=draw(dated_rules()), closed_on_public_holidays=draw(st.booleans())
    )
    try:
        value.validate()
    except HoursError:
        # Only overnight ranges running into the next day's first range get here.
        assume(False)
    return value


@given(valid_hours())
def test_render_then_parse_round_trips_any_valid_hours(value):
    text = render(value)
    assert parse(text) == value
    assert render(parse(text)) == text
