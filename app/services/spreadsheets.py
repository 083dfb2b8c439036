"""One export, two files: the rows of a list written as CSV (for data tools) and as XLSX (for spreadsheets).

An export is a Table: a header and rows of typed values (text, numbers, dates, and datetimes: aware, or
naive as the database stores them, in UTC, see stored_time), defined once. The two writers differ only in how
a value is written down:

- XLSX: every value as it is, typed: text is a text cell (never a formula, even when it starts with
  "="), numbers are numbers, datetimes are on the venue's clock (the header names the zone, because
  Excel has no time zones). The file is streamed as it is written (app/services/xlsx_stream.py), so a
  list of 100,000 people never sits in memory and its first bytes leave at once.
- CSV: text as typed, except a value a spreadsheet would run as a formula, which gets an apostrophe
  in front (see csv_safe); datetimes in ISO 8601 with their offset (2026-10-12T09:30:00+09:00).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.services.xlsx_stream import xlsx_stream

Value = str | int | Decimal | datetime | date | None

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 500



@dataclass(frozen=True)
class Table:
    """A sheet of an export. `rows` is read once, lazily: the database is read while the file is written."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Value]]
    tz: ZoneInfo  # the clock the datetimes are shown on: the venue's


def zoned(label: str, tz: ZoneInfo) -> str:
    """A timestamp column's heading, naming the zone its times are in: "Registered (Asia/Seoul time)"."""
    return f"{label} ({tz.key} time)"


# --- CSV ------------------------------------------------------------------------------------

# A spreadsheet runs a cell starting with "=", "@", "+" or "-" as a formula ("CSV injection"), and
# some treat a leading tab or carriage return the same way. A "+" or "-" followed only by digits,
# spaces and ( ) . - / is a phone number or a signed number: it holds no function name, cell
# reference or link, so at worst a spreadsheet does arithmetic with it, and it is written as typed.
_FORMULA_STARTS = ("=", "@", "+", "-", "\t", "\r")
_PHONE_OR_NUMBER = re.compile(r"[+-][ (]*\d[\d ()./-]*")


_RISKY_FIRST = frozenset("=@+-\t\r ")  # the first characters worth a closer look (a space: what follows it)


def csv_safe(text: str) -> str:
    """The text as typed, or with an apostrophe in front when a spreadsheet would run it as a formula."""
    if text[:1] not in _RISKY_FIRST:  # nearly every value: decided by its first character
        return text
    start = text.lstrip(" ")
    if not start.startswith(_FORMULA_STARTS) or _PHONE_OR_NUMBER.fullmatch(start):
        return text
    return "'" + text


def csv_chunks(table: Table, *, rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[str]:
    """The table as CSV text, some rows at a time, starting with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(title) for title in table.header])
    text_of, iso, risky = _csv_text_on(table.tz), _iso_on(table.tz), _RISKY_FIRST
    waiting: list[list[str]] = []
    for row in table.rows:
        # Plain text that cannot start a formula (nearly every cell) is written as it is, and a timestamp (two
        # a row in most exports) goes straight to iso: a call less for each.
        waiting.append([value if value.__class__ is str and value[:1] not in risky
                        else iso(value) if value.__class__ is datetime
                        else text_of(value) for value in row])
        if len(waiting) == rows_per_chunk:
            writer.writerows(waiting)
            waiting = []
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(waiting)
    if buffer.tell():
        yield buffer.getvalue()


def _csv_text_on(tz: ZoneInfo) -> Callable[[Value], str]:
    iso = _iso_on(tz)

    def text(value: Value) -> str:
        if isinstance(value, str):  # most cells: tested first
            return csv_safe(value)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return iso(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    return text


def _iso_on(tz: ZoneInfo) -> Callable[[datetime], str]:
    """Datetimes in ISO 8601 on the venue's clock, to the second, with the offset.

    isoformat's positional arguments: with timespec= as a keyword it costs a seventh more, and this runs twice
    for each of 100,000 rows (faster, measured, than formatting the fields and caching the offset's text)."""
    shift_of = _shifts_on(tz)

    def iso(value: datetime) -> str:
        if value.tzinfo is None:  # as stored, in UTC: moved to the venue's clock by its offset
            offset, text = shift_of(value)
            return (value + offset).isoformat("T", "seconds") + text
        return value.astimezone(tz).isoformat("T", "seconds")

    return iso


_Shift = tuple[timedelta, str]  # a zone's offset from UTC, and its text in ISO 8601 ("+09:00")


def _shifts_on(tz: ZoneInfo) -> Callable[[datetime], _Shift]:
    """The offset of the venue's clock at a naive UTC datetime: worked out once per UTC day, except on a day the
    clock changes (summer time begins or ends), when each time asks the zone itself. A datetime moved this way
    costs a third of one converted by astimezone (100,000 rows, two timestamps each)."""
    days: dict[int, _Shift | None] = {}

    def shift(moment: datetime) -> _Shift:
        local = moment.astimezone(tz)
        return local.utcoffset() or timedelta(), local.isoformat("T", "seconds")[19:]

    def shift_of(value: datetime) -> _Shift:
        day = value.toordinal()
        if day not in days:
            midnight = datetime.combine(value.date(), time(), UTC)
            start, end = shift(midnight), shift(midnight + timedelta(days=1))
            days[day] = start if start == end else None
        return days[day] or shift(value.replace(tzinfo=UTC))

    return shift_of


# --- XLSX -----------------------------------------------------------------------------------

def xlsx_chunks(tables: Iterable[Table]) -> Iterator[bytes]:
    """A workbook with a sheet per table, as bytes sent while later rows are still being read.

    `tables` may be a generator: each table's rows are written before the next table is asked for,
    so a summary sheet can add up what the first sheet's rows held."""
    return xlsx_stream((table.title, table.header, _on_clock(table)) for table in tables)


def _on_clock(table: Table) -> Iterator[Sequence[Value]]:
    tz, shift_of = table.tz, _shifts_on(table.tz)

    def local(value: datetime) -> datetime:
        if value.tzinfo is None:  # as stored, in UTC
            return value + shift_of(value)[0]
        return value.astimezone(tz).replace(tzinfo=None)

    for row in table.rows:
        yield [local(value) if isinstance(value, datetime) else value for value in row]
