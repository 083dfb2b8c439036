"""Times people can trust: with the server's own clock in Bogotá (UTC-5), a participant of the Daejeon forum
(Asia/Seoul, UTC+9) registers, reads the email, follows the personal link and imports the calendar files,
and every time they are shown is the venue's clock, saying its zone. The organiser's exports do the same:
ISO 8601 with the offset in CSV, typed datetimes under a heading naming the zone in XLSX.

The server's zone is set as an operator's would be (TZ, then tzset), so a naive datetime, a
`.astimezone()` without a zone or a `date.today()` anywhere on the way would show a Bogotá time."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import ApplicationStatus, ProgrammeSession, VisaRequest, VisaRequestStatus
from app.services.attendance import attendance
from tests.conftest import html_of, link_in, start_writing, text_of
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations
from tests.integration.programme_support import choose

SEOUL = ZoneInfo("Asia/Seoul")
# How a text may name the venue's zone: strftime's abbreviation, Babel's GMT form, the offset or the zone's name.
ZONE_NAMES = re.compile(r"KST|GMT\+9|GMT\+09:?00|UTC\+9|UTC\+09:?00|\+09:?00|Asia/Seoul|Korean? Standard Time")
# A time of day as any English or ISO text writes it: "09:30", "9:30 AM", "09:30:00".
CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):(\d\d)(?::\d\d)?(?:\s?([AaPp])\.?[Mm]\.?)?(?![\d:])")

# On the venue's clock: the forum opens on 17 October 2030 at 09:30 KST, which is 19:30 on the 16th in Bogotá.
OPENS = datetime(2030, 10, 17, 0, 30, tzinfo=UTC)
CLOSES = datetime(2030, 10, 19, 9, 0, tzinfo=UTC)                 # 18:00 KST
REGISTRATION_CLOSES = datetime(2030, 10, 1, 14, 59, tzinfo=UTC)    # 23:59 KST, 09:59 in Bogotá
PLENARY = (OPENS, datetime(2030, 10, 17, 2, 0, tzinfo=UTC))        # 09:30-11:00 KST
DINNER = (datetime(2030, 10, 17, 9, 30, tzinfo=UTC), datetime(2030, 10, 17, 11, 30, tzinfo=UTC))  # 18:30-20:30 KST
BOGOTA_CLOCK = {"19:30", "21:00", "04:30", "06:30", "04:00", "09:59"}  # the same moments on the server's clock


@pytest.fixture
def server_in_bogota():
    """The server process's own zone is America/Bogota while the test runs."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Bogota"
    time.tzset()
    assert time.strftime("%z", time.localtime(OPENS.timestamp())) == "-0500"
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def forum(make_event):
    event = make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                       capacity=None, timezone="Asia/Seoul", starts_at=OPENS, ends_at=CLOSES,
                       registration_closes_at=REGISTRATION_CLOSES)
    start_writing()
    plenary = ProgrammeSession(event_id=event.id, title="Plenary: science cities and AI", room="Grand Hall",
                               starts_at=PLENARY[0], ends_at=PLENARY[1])
    dinner = ProgrammeSession(event_id=event.id, title="Closing dinner", kind="social",
                              starts_at=DINNER[0], ends_at=DINNER[1])
    db.session.add_all([plenary, dinner])
    db.session.commit()
    event.session_ids = [plenary.id, dinner.id]
    return event


def visible_text(html: str) -> str:
    """What a reader sees of a page: no tags, no attributes, no scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


def clock_times(text: str) -> list[tuple[str, str]]:
    """Each time of day in the text, on a 24-hour clock, with the words that follow it."""
    found = []
    for match in CLOCK.finditer(text):
        hour, minute, half = int(match.group(1)), match.group(2), (match.group(3) or "").lower()
        if half == "p" and hour != 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        found.append((f"{hour:02d}:{minute}", text[match.end():match.end() + 40]))
    return found


def assert_every_time_says_the_venue_zone(text: str, *expected: str) -> None:
    """Every time of day shown is followed, within its phrase, by the venue's zone; the expected ones are
    there and no moment of the forum appears on Bogotá's clock."""
    shown = clock_times(text)
    for clock, after in shown:
        # "09:30–11:00 KST": the zone follows the range's end.
        assert ZONE_NAMES.search(after), f"{clock} without its zone in: …{clock}{after}…"
    clocks = {clock for clock, _ in shown}
    assert set(expected) <= clocks, (expected, text)
    assert not clocks & BOGOTA_CLOCK, (clocks & BOGOTA_CLOCK, text)


def assert_machine_times_have_the_venue_offset(html: str) -> None:
    for value in re.findall(r'(?:datetime|data-ends)="([^"]+)"', html):
        assert datetime.fromisoformat(value).utcoffset() == SEOUL.utcoffset(datetime(2030, 10, 17)), value


def assert_calendar_on_the_venue_clock(data: bytes | str, *starts: datetime) -> None:
    """Every entry starts at one of `starts`, written with the venue's TZID (and its VTIMEZONE) or in UTC."""
    calendar = icalendar.Calendar.from_ical(data)
    entries = list(calendar.walk("VEVENT"))
    assert entries
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for entry in entries:
        for name in ("DTSTART", "DTEND"):
            prop = entry[name]
            written = prop.to_ical().decode()
            if written.endswith("Z"):
                continue
            assert prop.params.get("TZID") == "Asia/Seoul", entry.to_ical()
            assert "Asia/Seoul" in zones
        start = entry.decoded("DTSTART")
        assert start.tzinfo is not None and start in starts, (start, starts)
        assert start.astimezone(SEOUL).strftime("%H:%M") in {"09:30", "18:30"}


# --- the participant's path -------------------------------------------------------------------

def test_registration_email_personal_link_and_calendars_show_the_venue_clock_from_a_server_in_bogota(
        server_in_bogota, forum, client, register, mailbox, deliver_emails):
    page = client.get("/events/dgif-2030").get_data(as_text=True)
    assert_every_time_says_the_venue_zone(visible_text(page), "09:30", "11:00", "18:30", "20:30", "23:59")
    assert 'datetime="2030-10-17T09:30+09:00"' in page  # the event's start, for the visitor's own clock
    assert_machine_times_have_the_venue_offset(page)

    registered = register(forum, given_name="Minjun", family_name="Kim", email="minjun.kim@example.kr",
                          country="KR", sessions=forum.session_ids)
    assert registered.status_code == 200
    assert_every_time_says_the_venue_zone(visible_text(registered.get_data(as_text=True)), "09:30", "18:30")

    deliver_emails()
    [email] = mailbox.to("minjun.kim@example.kr")
    assert_every_time_says_the_venue_zone(text_of(email), "09:30", "11:00", "18:30", "20:30")
    assert_every_time_says_the_venue_zone(visible_text(html_of(email)), "09:30", "11:00", "18:30", "20:30")
    [ics] = [part for part in email.iter_attachments() if part.get_filename().endswith(".ics")]
    assert_calendar_on_the_venue_clock(ics.get_content(), PLENARY[0], DINNER[0])

    link = link_in(email)
    personal = client.get(link).get_data(as_text=True)
    assert_every_time_says_the_venue_zone(visible_text(personal), "09:30", "18:00", "11:00", "18:30")
    assert_calendar_on_the_venue_clock(client.get(f"{link}/calendar.ics").data, PLENARY[0], DINNER[0])
    assert_calendar_on_the_venue_clock(client.get("/events/dgif-2030/calendar.ics").data, OPENS)
    assert_calendar_on_the_venue_clock(client.get("/events/dgif-2030/programme.ics").data, PLENARY[0], DINNER[0])

    mine = json.loads(client.get(f"{link}/my-data.json").data)
    assert mine["event"]["starts_at"] == "2030-10-17T09:30:00+09:00"
    assert [s["starts_at"] for s in mine["sessions"]] == ["2030-10-17T09:30:00+09:00", "2030-10-17T18:30:00+09:00"]
    assert mine["registration"]["created_at"].endswith("+09:00")


# --- the organiser's exports ------------------------------------------------------------------

@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
NAMES_ZONE = re.compile(r"\(Asia/Seoul time\)|KST")


def csv_of(response) -> tuple[list[str], list[list[str]]]:
    assert response.status_code == 200 and response.mimetype == "text/csv", response.status
    header, *rows = csv.reader(io.StringIO(response.data.decode("utf-8").lstrip("\ufeff")))
    return header, rows


def assert_moments_zoned(client, csv_url: str) -> None:
    """A CSV export and its XLSX twin: every moment in the CSV is ISO 8601 with +09:00 under a heading
    naming the zone, and the same cell of the XLSX is a datetime on the venue's clock (Excel has no zones)."""
    header, rows = csv_of(client.get(csv_url))
    assert rows, csv_url
    moments = 0
    for row in rows:
        for heading, value in zip(header, row, strict=True):
            if ISO_MOMENT.match(value):
                moments += 1
                assert value.endswith("+09:00"), (csv_url, heading, value)
                assert NAMES_ZONE.search(heading), (csv_url, heading)
    assert moments, csv_url
    for heading in header:  # "Session: Opening plenary (2030-10-17 09:30 KST)"
        if re.search(r"\d\d:\d\d", heading):
            assert NAMES_ZONE.search(heading), (csv_url, heading)

    sheet = load_workbook(io.BytesIO(client.get(csv_url.replace(".csv", ".xlsx")).data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == header, csv_url
    for cells, texts in zip(sheet.iter_rows(min_row=2), rows, strict=True):
        for heading, cell, text in zip(header, cells, texts, strict=True):
            if ISO_MOMENT.match(text):
                assert cell.is_date and isinstance(cell.value, datetime), (csv_url, heading, cell.value)
                # The CSV's moment is to the second; the cell keeps the fraction.
                on_the_clock = datetime.fromisoformat(text).replace(tzinfo=None)
                assert timedelta(0) <= cell.value - on_the_clock < timedelta(seconds=1), (csv_url, heading)


def assert_xlsx_moments_zoned(client, url: str) -> None:
    """A workbook with no CSV twin: every cell showing a time of day sits under a heading naming the zone."""
    response = client.get(url)
    assert response.status_code == 200, url
    for sheet in load_workbook(io.BytesIO(response.data)).worksheets:
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for heading, cell in zip(header, row, strict=False):
                if cell.is_date and "h" in cell.number_format:
                    assert NAMES_ZONE.search(str(heading)), (url, sheet.title, heading)


def test_every_export_writes_moments_with_the_venue_offset_and_names_the_zone(
        server_in_bogota, organiser, forum, make_event, client):
    arrived = datetime(2030, 9, 1, 0, 30, tzinfo=UTC)  # 09:30 KST; 19:30 the day before in Bogotá
    amina, = add_registrations(forum, 1, needs_visa_letter=True, created_at=arrived, confirmed_at=arrived)
    choose([amina], db.session.get(ProgrammeSession, forum.session_ids[0]))
    start_writing()
    db.session.add(VisaRequest(
        registration_id=amina.id, status=VisaRequestStatus.APPROVED, passport_name="DIALLO AMINA", nationality="SN",
        date_of_birth=date(1984, 5, 17), passport_number="A1234567", passport_expiry=date(2031, 1, 31),
        approved_at=arrived, verification_code="VT-TEST-0002"))
    db.session.commit()
    start_writing()
    attendance.record_attendance(db.session, [amina.id], date(2030, 10, 17), at=OPENS)
    db.session.commit()
    workshop = make_event(registration_mode="application", timezone="Asia/Seoul")
    add_applications(workshop, 1, status=ApplicationStatus.ACCEPTED)

    base = f"/admin/events/{forum.id}"
    for url in (f"{base}/attendees.csv", f"{base}/attendance.csv", f"{base}/documents/visa.csv",
                f"{base}/programme/{forum.session_ids[0]}/people.csv",
                f"/admin/events/{workshop.id}/applications/accepted.csv"):
        assert_moments_zoned(client, url)
    for url in (f"{base}/statistics/participation-report.xlsx", f"{base}/statistics/finance.xlsx",
                f"/admin/events/{workshop.id}/statistics/finance.xlsx"):
        assert_xlsx_moments_zoned(client, url)

    [row] = csv_of(client.get(f"{base}/attendees.csv"))[1]
    assert "2030-09-01T09:30:00+09:00" in row


def test_the_your_time_label_speaks_the_page_language(forum, client):
    page = client.get("/events/dgif-2030", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'data-your-time="계신 곳 시각"' in page
    assert '<script src="/static/js/your-time.js" defer></script>' in page
