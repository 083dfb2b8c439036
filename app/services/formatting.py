"""How dates read on pages and in emails: in the event's own time zone, unambiguous in any language."""

from __future__ import annotations

from datetime import datetime


def format_local(moment: datetime | None, tz_name: str, fmt: str = "%d %b %Y, %H:%M") -> str:
    if moment is None:
        return ""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(tz_name))
    return f"{local.strftime(fmt)} ({local.tzname()})" if "%H" in fmt else local.strftime(fmt)


def format_date_range(start: datetime, end: datetime, tz_name: str) -> str:
    """'3-7 Nov 2026', '28 Oct - 2 Nov 2026' or '30 Dec 2026 - 2 Jan 2027', at the venue."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    if a.date() == b.date():
        return a.strftime("%-d %b %Y")
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b.strftime('%b %Y')}"
    if a.year == b.year:
        return f"{a.strftime('%-d %b')} – {b.strftime('%-d %b %Y')}"
    return f"{a.strftime('%-d %b %Y')} – {b.strftime('%-d %b %Y')}"


def format_time_range(start: datetime, end: datetime, tz_name: str) -> str:
    """'Tue 3 Nov, 09:00-10:30 KST' at the venue; the end's date is named when it differs."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz_name)
    first, last = start.astimezone(zone), end.astimezone(zone)
    day = f"{first:%a} {first.day} {first:%b}"
    until = f"{last:%H:%M}" if last.date() == first.date() else f"{last:%a} {last.day} {last:%b}, {last:%H:%M}"
    return f"{day}, {first:%H:%M}–{until} {first.tzname()}"
