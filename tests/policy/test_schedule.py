"""Schedule windows at their edges, across midnight and on DST change days."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from watchword.policy.compiled import CompiledSchedule
from watchword.policy.model import DAYS, Schedule
from watchword.policy.rules import in_schedule

MINUTE = timedelta(minutes=1)
KYIV, NEW_YORK = "Europe/Kyiv", "America/New_York"


def schedule(days: list[str], start: str, end: str, tz: str = "UTC") -> CompiledSchedule:
    doc = {"timezone": tz, "windows": [{"days": days, "start": start, "end": end}]}
    return CompiledSchedule.of(Schedule.model_validate(doc))


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def local(day: date, minute: int, tz: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)) + minute * MINUTE


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
zones = st.sampled_from(["UTC", "Asia/Tokyo", "America/Sao_Paulo"])  # zones without DST now


@given(days, minutes, minutes, zones)
def test_window_edges_to_the_minute(day: date, start: int, end: int, tz: str) -> None:
    if start >= end:
        start, end = end, start
    if start == end:
        end = start + 1
    rule = schedule([DAYS[day.weekday()]], hhmm(start), hhmm(end), tz)
    at_start, at_end = local(day, start, tz), local(day, end, tz)
    assert in_schedule(rule, at_start)
    assert in_schedule(rule, at_end - timedelta(seconds=1))
    assert in_schedule(rule, at_end - MINUTE)
    assert not in_schedule(rule, at_end)
    if start > 0:  # else the minute before is another day, not in the window's days
        assert not in_schedule(rule, at_start - MINUTE)


@given(days, st.integers(min_value=1, max_value=24 * 60 - 1), st.data())
def test_crossing_window_covers_the_next_morning_of_the_start_day_only(
    day: date, start: int, data: st.DataObject
) -> None:
    end = data.draw(st.integers(min_value=0, max_value=start - 1))
    rule = schedule([DAYS[day.weekday()]], hhmm(start), hhmm(end))
    next_day = day + timedelta(days=1)
    assert in_schedule(rule, local(day, start, "UTC"))
    assert in_schedule(rule, local(next_day, 0, "UTC") - MINUTE)
    assert not in_schedule(rule, local(day, start, "UTC") - MINUTE)
    if end > 0:
        assert in_schedule(rule, local(next_day, 0, "UTC"))
        assert in_schedule(rule, local(next_day, end, "UTC") - MINUTE)
    assert not in_schedule(rule, local(next_day, end, "UTC"))
    # The morning of the start day itself belongs to the previous day's window.
    if end > 0:
        assert not in_schedule(rule, local(day, 0, "UTC"))


def wall_clock_oracle(now: datetime, tz: str, day: str, start: str, end: str) -> bool:
    """Independent statement of the rule: compare the local HH:MM text."""
    here = now.astimezone(ZoneInfo(tz))
    return here.strftime("%a").lower() == day and start <= here.strftime("%H:%M") < end


# DST change days in 2026: EU last Sundays of March/October, US 2nd Sunday of March
# and 1st Sunday of November.
DST_DAYS = {
    KYIV: [date(2026, 3, 29), date(2026, 10, 25)],
    NEW_YORK: [date(2026, 3, 8), date(2026, 11, 1)],
}


@given(
    st.sampled_from([(tz, d) for tz, ds in DST_DAYS.items() for d in ds]),
    st.integers(min_value=0, max_value=26 * 3600),
    minutes,
    minutes,
)
def test_dst_change_days_follow_the_wall_clock(
    zone_day: tuple[str, date], offset_s: int, start: int, end: int
) -> None:
    tz, day = zone_day
    if start >= end:
        start, end = end, start
    if start == end:
        end = start + 1
    rule = schedule(["sun"], hhmm(start), hhmm(end), tz)
    midnight_utc = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=6)
    now = midnight_utc + timedelta(seconds=offset_s)
    assert in_schedule(rule, now) is wall_clock_oracle(now, tz, "sun", hhmm(start), hhmm(end))


def test_spring_forward_in_new_york_shortens_a_window_across_the_gap() -> None:
    rule = schedule(["sun"], "01:00", "03:30", NEW_YORK)
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    assert in_schedule(rule, datetime(2026, 3, 8, 6, 59, tzinfo=UTC))  # 01:59 EST
    assert in_schedule(rule, datetime(2026, 3, 8, 7, 0, tzinfo=UTC))  # 03:00 EDT
    assert in_schedule(rule, datetime(2026, 3, 8, 7, 29, tzinfo=UTC))  # 03:29 EDT
    assert not in_schedule(rule, datetime(2026, 3, 8, 7, 30, tzinfo=UTC))  # 03:30 EDT


def test_fall_back_in_new_york_repeats_the_hour_inside_a_window() -> None:
    rule = schedule(["sun"], "01:00", "02:00", NEW_YORK)
    # 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:xx happens twice.
    assert in_schedule(rule, datetime(2026, 11, 1, 5, 0, tzinfo=UTC))  # 01:00 EDT
    assert in_schedule(rule, datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 EST
    assert not in_schedule(rule, datetime(2026, 11, 1, 7, 0, tzinfo=UTC))  # 02:00 EST


def test_spring_forward_in_kyiv_skips_three_o_clock() -> None:
    rule = schedule(["sun"], "03:00", "04:00", KYIV)
    # 2026-03-29: 03:00 EET jumps to 04:00 EEST at 01:00 UTC: the window never occurs.
    assert not in_schedule(rule, datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 02:59 EET
    assert not in_schedule(rule, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 04:00 EEST


def test_fall_back_in_kyiv_office_hours_last_one_hour_longer() -> None:
    rule = schedule(["sun"], "00:00", "08:00", KYIV)
    # 2026-10-25: 04:00 EEST falls back to 03:00 EET at 01:00 UTC.
    first = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)  # 00:00 EEST
    last = datetime(2026, 10, 25, 6, 0, tzinfo=UTC)  # 08:00 EET
    assert in_schedule(rule, first) and not in_schedule(rule, last)
    assert in_schedule(rule, last - timedelta(seconds=1))
    assert last - first == timedelta(hours=9)


def test_crossing_window_on_a_dst_day_in_kyiv() -> None:
    rule = schedule(["sat"], "22:00", "06:00", KYIV)
    # Saturday 22:00 EET to Sunday 06:00 EEST: 7 real hours on 2026-03-28/29.
    assert in_schedule(rule, datetime(2026, 3, 28, 20, 0, tzinfo=UTC))  # Sat 22:00 EET
    assert in_schedule(rule, datetime(2026, 3, 29, 2, 59, tzinfo=UTC))  # Sun 05:59 EEST
    assert not in_schedule(rule, datetime(2026, 3, 29, 3, 0, tzinfo=UTC))  # Sun 06:00 EEST
