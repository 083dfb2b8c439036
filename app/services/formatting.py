"""How dates read on pages and in emails: in the event's own time zone, unambiguous in any language.

English reads as it always has ("17 Oct 2028, 09:30 (KST)"); other languages are written by Babel's
patterns for them ("2028년 10월 17일 (화) 09:30 KST"). The language is the page's, or the one an email or
document is rendered in (`flask_babel.force_locale`); outside any app context, English. The zone's
abbreviation is always said: a time without its zone is one nobody can trust.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

# Babel patterns per language (CLDR field letters: y year, M month, d day, E weekday, HH:mm 24-hour time),
# for the shapes the English strftime formats below produce. A language missing here is written in English.
_PATTERNS: dict[str, dict[str, str]] = {
    "ko": {
        "date": "y년 M월 d일",
        "date_time": "y년 M월 d일 (E) HH:mm",
        "month_day": "M월 d일",
        "day": "d일",
        "weekday_day": "M월 d일 (E)",
        "time": "HH:mm",
    },
}
_RANGE = {"ko": "~"}


def _language() -> str:
    from flask_babel import get_locale

    try:
        locale = get_locale()
    except RuntimeError:  # no app context: a script, a unit test
        return "en"
    return locale.language if locale is not None else "en"


def _patterns() -> tuple[str, dict[str, str]] | None:
    language = _language()
    patterns = _PATTERNS.get(language)
    return (language, patterns) if patterns else None


def _writer(language: str, patterns: dict[str, str]) -> Callable[[datetime, str], str]:
    """Writes a moment in one of `patterns` (by its name) for `language`."""
    return lambda moment, pattern: format_datetime(moment, patterns[pattern], locale=language)


def format_local(moment: datetime | None, tz_name: str, fmt: str = "%d %b %Y, %H:%M") -> str:
    """`moment` at `tz_name`. `fmt` is the English strftime shape; with a time in it, the zone is named."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(tz_name))
    with_time = "%H" in fmt
    chosen = _patterns()
    if chosen is not None:
        language, patterns = chosen
        text = format_datetime(local, patterns["date_time" if with_time else "date"], locale=language)
        return f"{text} {local.tzname()}" if with_time else text
    return f"{local.strftime(fmt)} ({local.tzname()})" if with_time else local.strftime(fmt)


# The English strftime shapes templates use for a day or a time of day, and the same shapes in Korean.
_DAY_PATTERNS: dict[str, dict[str, str]] = {
    "ko": {
        "%A %-d %B %Y": "y년 M월 d일 EEEE",
        "%A %-d %B %Y, %H:%M": "y년 M월 d일 EEEE HH:mm",
        "%a %-d %b %Y, %H:%M": "y년 M월 d일 (E) HH:mm",
        "%a %-d %b %Y": "y년 M월 d일 (E)",
        "%a %-d %b": "M월 d일 (E)",
        "%-d %B %Y": "y년 M월 d일",
        "%-d %b %Y": "y년 M월 d일",
        "%-d %b": "M월 d일",
        "%H:%M": "HH:mm",
    },
}


def format_day(moment: date | datetime, fmt: str) -> str:
    """A day (or a moment already on the event's clock) in the page's language: `fmt` is the English strftime
    shape ("%a %-d %b %Y"); a trailing " %Z" names the zone in every language."""
    shape, zoned = (fmt[:-3], True) if fmt.endswith(" %Z") else (fmt, False)
    pattern = _DAY_PATTERNS.get(_language(), {}).get(shape)
    if pattern is None:
        text = moment.strftime(shape)
    else:
        text = (format_datetime(moment, pattern, locale=_language()) if isinstance(moment, datetime)
                else format_date(moment, pattern, locale=_language()))
    if zoned and isinstance(moment, datetime):
        text = f"{text} {moment.tzname()}"
    return text


def format_date_range(start: datetime, end: datetime, tz_name: str) -> str:
    """'3-7 Nov 2026', '28 Oct - 2 Nov 2026' or '30 Dec 2026 - 2 Jan 2027', at the venue;
    in Korean '2026년 11월 3일~7일', '2026년 10월 28일~11월 2일', '2026년 12월 30일~2027년 1월 2일'."""
    tz = ZoneInfo(tz_name)
    a, b = start.astimezone(tz), end.astimezone(tz)
    chosen = _patterns()
    if chosen is not None:
        language, patterns = chosen
        written = _writer(language, patterns)
        dash = _RANGE.get(language, " – ")
        if a.date() == b.date():
            return written(a, "date")
        if (a.year, a.month) == (b.year, b.month):
            return f"{written(a, 'date')}{dash}{written(b, 'day')}"
        if a.year == b.year:
            return f"{written(a, 'date')}{dash}{written(b, 'month_day')}"
        return f"{written(a, 'date')}{dash}{written(b, 'date')}"
    if a.date() == b.date():
        return a.strftime("%-d %b %Y")
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b.strftime('%b %Y')}"
    if a.year == b.year:
        return f"{a.strftime('%-d %b')} – {b.strftime('%-d %b %Y')}"
    return f"{a.strftime('%-d %b %Y')} – {b.strftime('%-d %b %Y')}"


def format_time_range(start: datetime, end: datetime, tz_name: str) -> str:
    """'Tue 3 Nov, 09:00-10:30 KST' at the venue (in Korean '11월 3일 (화) 09:00~10:30 KST'); the end's
    date is named when it differs."""
    zone = ZoneInfo(tz_name)
    first, last = start.astimezone(zone), end.astimezone(zone)
    chosen = _patterns()
    if chosen is not None:
        language, patterns = chosen
        written = _writer(language, patterns)
        dash = _RANGE.get(language, "–")
        until = written(last, "time") if last.date() == first.date() else \
            f"{written(last, 'weekday_day')} {written(last, 'time')}"
        return f"{written(first, 'weekday_day')} {written(first, 'time')}{dash}{until} {first.tzname()}"
    day = f"{first:%a} {first.day} {first:%b}"
    until = f"{last:%H:%M}" if last.date() == first.date() else f"{last:%a} {last.day} {last:%b}, {last:%H:%M}"
    return f"{day}, {first:%H:%M}–{until} {first.tzname()}"


# --- titles and texts in sentences ------------------------------------------------------------

# "24th International Training Workshop ..." or "Ninth Forum ...": an edition's number.
_ORDINAL = re.compile(r"^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
                      re.IGNORECASE)
_ARTICLE = re.compile(r"^(the|a|an)\b", re.IGNORECASE)
# An event named by what it is ("... Workshop on ...", "... Innovation Forum 2026") is "the" event.
_EVENT_NOUN = re.compile(
    r"\b(workshops?|forums?|fora|conferences?|symposi(um|a)|seminars?|summits?|congress(es)?|courses?|"
    r"training|meetings?|schools?|programmes?|programs?|festivals?|assembl(y|ies)|expos?|exhibitions?|"
    r"fairs?|sessions?|roundtables?|webinars?|camps?|weeks?|days?)\b",
    re.IGNORECASE,
)


def title_in_sentence(title: str) -> str:
    """An event's title as it reads inside a sentence: "applying for the 24th International ...".

    "the" goes before a title that starts with an ordinal or names a kind of event; a title that
    already starts with an article, or a bare brand name ("Innovate Daejeon"), stays as it is.
    """
    title = title.strip()
    if not title or _ARTICLE.match(title):
        return title
    if _ORDINAL.match(title) or _EVENT_NOUN.search(title):
        return f"the {title}"
    return title


def edition_ordinals_in(text: str, name: str) -> list[str]:
    """Edition numbers written in a text, each once: "8th" in "the 8th edition", "8th forum" or "8th Daejeon
    Global ..." (a word of the series' `name`); not "21st" in "the 21st century"."""
    words = {"edition", *(w.lower() for w in re.findall(r"\w{4,}", name))}  # not "on", "of", "the"
    found = (m for m in re.finditer(r"\b(\d+(?:st|nd|rd|th))\s+(\w+)", text or "")
             if m.group(2).lower() in words or _EVENT_NOUN.fullmatch(m.group(2)))
    return list(dict.fromkeys(m.group(1) for m in found))


# Placeholders an edition's copied texts may use ("The {edition} edition of the forum, {year}"), so they
# stay right when the next edition is created from this one.
_PLACEHOLDER = re.compile(r"\{(edition|year)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """`text` with {edition} and {year} replaced; any other braces, and a placeholder with no value, stay."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or m.group(0), text or "")


def rounded_percentages(counts: Sequence[int], whole: int) -> list[int]:
    """Each count as a whole percent of `whole`, adding up to the rounded percent of their total.

    Largest remainder: eight countries with 5 of 40 places each show 13, 13, 13, 13, 12, 12, 12, 12
    (100 %), not 12 eight times (96 %). Ties go to the earlier count.
    """
    if whole <= 0:
        return [0 for _ in counts]
    exact = [Fraction(100 * count, whole) for count in counts]
    shown = [math.floor(share) for share in exact]
    target = math.floor(Fraction(100 * sum(counts), whole) + Fraction(1, 2))
    by_remainder = sorted(range(len(exact)), key=lambda i: (shown[i] - exact[i], i))
    for i in by_remainder[:max(target - sum(shown), 0)]:
        shown[i] += 1
    return shown
