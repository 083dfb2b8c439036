"""Exports write times on the venue's clock: a time read as stored (naive, UTC) comes out exactly as the same
time made aware would, through every change of summer time, in zones with half-hour offsets and changes too."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.services.spreadsheets import Table, csv_chunks


def every_half_hour_of(year: int) -> list[datetime]:
    start = datetime(year, 1, 1)
    return [start + timedelta(minutes=30 * n) for n in range(366 * 48)]


@pytest.mark.parametrize("zone", ["Asia/Seoul", "Europe/Paris", "America/Santiago", "Australia/Lord_Howe",
                                  "Asia/Kathmandu", "America/Bogota"])
def test_a_stored_time_is_written_as_the_same_time_made_aware(zone):
    tz = ZoneInfo(zone)
    stored = every_half_hour_of(2030)
    rows = [[moment, moment.replace(tzinfo=UTC)] for moment in stored]

    text = "".join(csv_chunks(Table("Times", ["stored", "aware"], rows, tz))).lstrip("\ufeff")
    written = list(csv.reader(io.StringIO(text)))[1:]

    assert len(written) == len(stored)
    for moment, (from_stored, from_aware) in zip(stored, written, strict=True):
        assert from_stored == from_aware == moment.replace(tzinfo=UTC).astimezone(tz).isoformat(timespec="seconds")
