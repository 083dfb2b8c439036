"""The dashboard's exports, downloaded as an organiser does and read back the way the finance team's
tools read them: the CSV with the csv module, the XLSX with openpyxl.

Phone numbers arrive exactly as typed in both; the XLSX holds typed cells and never a formula; the
CSV neutralises only what a spreadsheet would run; every timestamp says its zone."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import (
    ApplicationStatus,
    ChoiceStatus,
    OrganisationType,
    Registration,
    RegistrationStatus,
    VisaRequest,
    VisaRequestStatus,
)
from app.services.attendance import attendance
from app.services.registration.attendees import AttendeeQuery, export_table
from app.services.spreadsheets import csv_chunks, csv_safe
from tests.conftest import start_writing, statements_sent
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations
from tests.integration.programme_support import add_session, choose

PHONE = "+998 67 708 8423"
HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel then reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_sheet(response, title: str | None = None):
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Content-Disposition"].rstrip('"').endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    return workbook[title] if title else workbook.worksheets[0]


def xlsx_records(sheet) -> list[dict]:
    """{heading: cell} per row, the cells themselves so a test can look at their types."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def assert_no_formulas(response) -> None:
    """Not one cell of the workbook is a formula, in openpyxl's reading and in the file itself."""
    workbook = load_workbook(io.BytesIO(response.data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), [c.value for c in row]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


# --- the rule for the CSV ------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    PHONE, "+1", "-5", "-5.25", "+82-42-123-4567", "+1 (555) 010-9999", "+ 82 10 1234 5678", "+49 30/1234567",
    "Kim", "a=b", "", "Ph.D. + MBA",
])
def test_csv_keeps_phone_numbers_numbers_and_text_as_typed(value):
    assert csv_safe(value) == value


@pytest.mark.parametrize("value", [
    HOSTILE, "=1+1", "@SUM(A1:A9)", "+Plus", "-2+3", "-cmd|' /C calc'!A0", "+A1", "\tTabbed", "\rReturn",
    "  =1+1", "-", "+",
])
def test_csv_puts_an_apostrophe_before_what_a_spreadsheet_would_run(value):
    assert csv_safe(value) == "'" + value


# --- the attendee list -------------------------------------------------------------------------

def test_phone_numbers_arrive_exactly_as_typed_in_the_csv_and_the_xlsx(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 1, phone=PHONE)
    add_registrations(event, 1, phone="-5")

    rows = csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv"))
    sheet = xlsx_sheet(client.get(f"/admin/events/{event.id}/attendees.xlsx"), "Attendees")

    assert [r["Phone"] for r in rows] == [PHONE, "-5"]  # no apostrophe
    phones = [record["Phone"] for record in xlsx_records(sheet)]
    assert [cell.value for cell in phones] == [PHONE, "-5"]
    assert {cell.data_type for cell in phones} == {"s"}  # text, as typed: not the number -5


def test_the_csv_neutralises_formulas_and_the_xlsx_keeps_them_as_text(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 1, given_name=HOSTILE, family_name="+Plus", organisation="@SUM(A1:A9)",
                      position="#N/A", phone=PHONE, dietary_needs="\tTabbed", accessibility_needs="\rReturn")

    [row] = csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv"))
    assert row["Given name"] == "'" + HOSTILE
    assert row["Family name"] == "'+Plus"
    assert row["Organisation"] == "'@SUM(A1:A9)"
    assert row["Dietary needs"] == "'\tTabbed" and row["Accessibility needs"] == "'\rReturn"
    assert row["Phone"] == PHONE

    response = client.get(f"/admin/events/{event.id}/attendees.xlsx")
    [record] = xlsx_records(xlsx_sheet(response))
    for heading, typed in (("Given name", HOSTILE), ("Family name", "+Plus"), ("Organisation", "@SUM(A1:A9)"),
                           ("Position", "#N/A"), ("Dietary needs", "\tTabbed"), ("Phone", PHONE)):
        assert record[heading].value == typed
        assert record[heading].data_type == "s"  # not "f" (formula) nor "e" (error)
    assert_no_formulas(response)


def test_timestamps_say_their_zone(organiser, make_event, client):
    event = make_event(timezone="Asia/Seoul")
    registered = datetime(2030, 10, 12, 0, 30, tzinfo=UTC)
    add_registrations(event, 1, created_at=registered, confirmed_at=registered + timedelta(hours=1))

    [row] = csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv"))
    assert row["Registered (Asia/Seoul time)"] == "2030-10-12T09:30:00+09:00"
    assert datetime.fromisoformat(row["Confirmed (Asia/Seoul time)"]) == registered + timedelta(hours=1)

    [record] = xlsx_records(xlsx_sheet(client.get(f"/admin/events/{event.id}/attendees.xlsx")))
    cell = record["Registered (Asia/Seoul time)"]
    assert cell.value == datetime(2030, 10, 12, 9, 30)  # a date a spreadsheet can sort, on the named clock
    assert cell.is_date


def test_times_on_the_day_summer_time_begins_are_on_the_clock_of_that_moment(organiser, make_event, client):
    # Paris moves from +01:00 to +02:00 at 01:00 UTC on 31 March 2030: the export reads its times as stored, in
    # UTC, and moves a whole day's to the venue's clock at once, except on such a day.
    event = make_event(timezone="Europe/Paris")
    before, after = datetime(2030, 3, 31, 0, 30, tzinfo=UTC), datetime(2030, 3, 31, 1, 30, tzinfo=UTC)
    add_registrations(event, 1, created_at=before, confirmed_at=after)

    [row] = csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv"))
    assert row["Registered (Europe/Paris time)"] == "2030-03-31T01:30:00+01:00"
    assert row["Confirmed (Europe/Paris time)"] == "2030-03-31T03:30:00+02:00"

    [record] = xlsx_records(xlsx_sheet(client.get(f"/admin/events/{event.id}/attendees.xlsx")))
    assert record["Registered (Europe/Paris time)"].value == datetime(2030, 3, 31, 1, 30)
    assert record["Confirmed (Europe/Paris time)"].value == datetime(2030, 3, 31, 3, 30)


def test_the_xlsx_exports_the_filtered_and_sorted_list_like_the_csv(organiser, make_event, client):
    event = make_event(capacity=None)
    add_registrations(event, 2, country="GH", organisation="Accra Digital Centre")
    add_registrations(event, 1, country="GH", status=RegistrationStatus.WAITLISTED)
    add_registrations(event, 2, country="KE", organisation_type=OrganisationType.UNIVERSITY)

    page = client.get(f"/admin/events/{event.id}/attendees", query_string={"country": "GH", "q": "accra"})
    assert b"attendees.csv?q=accra&amp;country=GH" in page.data  # both links carry the filters
    assert b"attendees.xlsx?q=accra&amp;country=GH" in page.data

    query = {"country": "GH", "q": "accra", "sort": "name", "dir": "desc"}
    rows = csv_rows(client.get(f"/admin/events/{event.id}/attendees.csv", query_string=query))
    sheet = xlsx_sheet(client.get(f"/admin/events/{event.id}/attendees.xlsx", query_string=query))
    assert [c.value for c in sheet[1]] == list(rows[0])  # the same columns, defined once
    assert [r["Family name"].value for r in xlsx_records(sheet)] == [r["Family name"] for r in rows]
    assert len(rows) == 2


def test_korean_names_and_an_empty_list(organiser, make_event, client):
    event = make_event(slug="dgif-2030", capacity=None)
    empty = client.get(f"/admin/events/{event.id}/attendees.csv").data.decode("utf-8")
    assert empty.startswith("\ufeffReference,Status,") and empty.count("\n") == 1
    assert xlsx_sheet(client.get(f"/admin/events/{event.id}/attendees.xlsx")).max_row == 1

    add_registrations(event, 1, given_name="민준", family_name="김", organisation="대덕연구개발특구", country="KR")
    response = client.get(f"/admin/events/{event.id}/attendees.csv")
    assert response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="dgif-2030-attendees-20')
    [row] = csv_rows(response)
    assert (row["Given name"], row["Organisation"], row["Country"]) == ("민준", "대덕연구개발특구", "South Korea")


def test_rows_are_produced_in_batches(app, make_event):
    event = make_event(capacity=None)
    add_registrations(event, 7)
    chunks = list(csv_chunks(export_table(db.session, event, AttendeeQuery(), batch_size=3), rows_per_chunk=3))
    assert len(chunks) == 3  # 3 + 3 + 1 rows, the header and BOM with the first batch
    assert sum(chunk.count("\n") for chunk in chunks) == 8


# --- the forum: a column per session -------------------------------------------------------------

FORUM_DATES = dict(
    starts_at=datetime(2030, 11, 4, 0, 0, tzinfo=UTC), ends_at=datetime(2030, 11, 5, 9, 0, tzinfo=UTC),
    registration_opens_at=datetime(2030, 6, 1, tzinfo=UTC), registration_closes_at=datetime(2030, 10, 20, tzinfo=UTC),
)


@pytest.fixture
def forum(make_event):
    return make_event(title="Daejeon Global Innovation Forum 2030", slug="dgif-2030", code="DGIF30", kind="forum",
                      capacity=None, **FORUM_DATES)


def test_the_forum_export_has_a_column_per_session(organiser, forum, client):
    plenary = add_session(forum, title="Opening plenary", start=(9, 0), end=(10, 30))
    parallel = add_session(forum, title="Parallel session A", start=(14, 0), end=(15, 30), seat_limit=1)
    amina, = add_registrations(forum, 1, family_name="Diallo")
    kofi, = add_registrations(forum, 1, family_name="Mensah")
    add_registrations(forum, 1, family_name="Zulu")
    choose([amina, kofi], plenary)
    choose([amina], parallel)
    choose([kofi], parallel, status=ChoiceStatus.WAITLISTED)

    plenary_column = "Session: Opening plenary (2030-11-04 09:00 KST)"
    parallel_column = "Session: Parallel session A (2030-11-04 14:00 KST)"
    rows = csv_rows(client.get(f"/admin/events/{forum.id}/attendees.csv"))
    assert [(r["Family name"], r[plenary_column], r[parallel_column]) for r in rows] == [
        ("Diallo", "seat", "seat"), ("Mensah", "seat", "waiting"), ("Zulu", "none", "none")]

    records = xlsx_records(xlsx_sheet(client.get(f"/admin/events/{forum.id}/attendees.xlsx")))
    assert [(r[plenary_column].value, r[parallel_column].value) for r in records] == [
        ("seat", "seat"), ("seat", "waiting"), ("none", "none")]


def downloaded_with_queries(client, url: str) -> int:
    """The queries made to send the whole file (a streamed body is read inside the count)."""
    with statements_sent() as statements:
        response = client.get(url)
        assert response.status_code == 200 and response.data
    return len(statements)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_forum_export_takes_the_same_queries_for_3_people_as_for_40(organiser, make_event, client, extension):
    counts = []
    for people in (3, 40):
        event = make_event(kind="forum", capacity=None)
        sessions = [add_session(event, title=f"Session {n}", start=(9 + n, 0), end=(9 + n, 45)) for n in range(3)]
        registrations = add_registrations(event, people)
        choose(registrations[::2], sessions[0])
        choose(registrations[1::2], sessions[1], status=ChoiceStatus.WAITLISTED)
        client.get(f"/admin/events/{event.id}/attendees")  # the first request warms caches
        counts.append(downloaded_with_queries(client, f"/admin/events/{event.id}/attendees.{extension}"))
    assert counts[0] == counts[1]


# --- every CSV has its XLSX beside it ---------------------------------------------------------------

def test_the_session_people_come_as_csv_and_xlsx_from_the_session_page(organiser, forum, client):
    session = add_session(forum, title="Parallel session A", seat_limit=1)
    choose(add_registrations(forum, 1, family_name="Seated", organisation=HOSTILE, phone=PHONE), session)
    choose(add_registrations(forum, 1, family_name="Waiting"), session, status=ChoiceStatus.WAITLISTED)
    base = f"/admin/events/{forum.id}/programme/{session.id}"

    page = client.get(base).get_data(as_text=True)
    assert f'href="{base}/people.csv"' in page and f'href="{base}/people.xlsx"' in page

    rows = csv_rows(client.get(f"{base}/people.csv"))
    response = client.get(f"{base}/people.xlsx")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="dgif-2030-session-{session.id}-2030-11-04-1400.xlsx"')
    records = xlsx_records(xlsx_sheet(response))
    assert [c.value for c in xlsx_sheet(response)[1]] == list(rows[0])
    assert [(r["Seat"].value, r["Waiting list position"].value) for r in records] == [("Confirmed", None), ("Waiting", 1)]
    assert records[1]["Waiting list position"].data_type == "n"  # a number a spreadsheet can sort
    assert records[0]["Organisation"].value == HOSTILE and rows[0]["Organisation"] == "'" + HOSTILE
    assert rows[0]["Chose the session (Asia/Seoul time)"] == "2030-06-01T09:00:00+09:00"
    assert records[0]["Chose the session (Asia/Seoul time)"].value == datetime(2030, 6, 1, 9, 0)
    assert_no_formulas(response)


def test_the_attendance_comes_as_csv_and_xlsx(organiser, make_event, client):
    workshop = make_event(starts_at=datetime(2026, 11, 3, 0, 0, tzinfo=UTC), ends_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
                          registration_opens_at=datetime(2026, 9, 1, tzinfo=UTC),
                          registration_closes_at=datetime(2026, 10, 20, tzinfo=UTC))
    ada, = add_registrations(workshop, 1, organisation=HOSTILE)
    start_writing()
    attendance.record_attendance(db.session, [ada.id], date(2026, 11, 4), at=datetime(2026, 11, 4, 0, 5, tzinfo=UTC))
    db.session.commit()
    base = f"/admin/events/{workshop.id}"

    page = client.get(f"{base}/attendance").get_data(as_text=True)
    assert f'href="{base}/attendance.csv"' in page and f'href="{base}/attendance.xlsx"' in page
    assert f'href="{base}/attendance.xlsx"' in client.get(f"{base}/check-in").get_data(as_text=True)

    [row] = csv_rows(client.get(f"{base}/attendance.csv"))
    response = client.get(f"{base}/attendance.xlsx")
    [record] = xlsx_records(xlsx_sheet(response, "Attendance"))
    assert row["Day 2: 2026-11-04 (Asia/Seoul time)"] == "2026-11-04T09:05:00+09:00"
    assert record["Day 2: 2026-11-04 (Asia/Seoul time)"].value == datetime(2026, 11, 4, 9, 5)
    assert record["Days attended"].value == 1 and record["Days attended"].data_type == "n"
    assert record["Organisation"].value == HOSTILE
    assert_no_formulas(response)


def test_the_passport_data_comes_as_csv_and_xlsx(organiser, make_event, client):
    event = make_event()
    amina, = add_registrations(event, 1, organisation=HOSTILE, needs_visa_letter=True)
    start_writing()
    db.session.add(VisaRequest(
        registration_id=amina.id, status=VisaRequestStatus.APPROVED, passport_name="DIALLO AMINA", nationality="SN",
        date_of_birth=date(1984, 5, 17), passport_number="A1234567", passport_expiry=date(2031, 1, 31),
        approved_at=datetime(2030, 9, 1, 1, 0, tzinfo=UTC), verification_code="VT-TEST-0001",
    ))
    db.session.commit()
    base = f"/admin/events/{event.id}/documents"

    page = client.get(base).get_data(as_text=True)
    assert f'href="{base}/visa.csv"' in page and f'href="{base}/visa.xlsx"' in page

    [row] = csv_rows(client.get(f"{base}/visa.csv"))
    response = client.get(f"{base}/visa.xlsx")
    [record] = xlsx_records(xlsx_sheet(response))
    assert row["Date of birth"] == "1984-05-17" and row["Letter approved (Asia/Seoul time)"] == "2030-09-01T10:00:00+09:00"
    assert record["Date of birth"].value == datetime(1984, 5, 17) and record["Date of birth"].is_date
    assert record["Passport number"].value == "A1234567"
    assert record["Organisation"].value == HOSTILE and row["Organisation"] == "'" + HOSTILE
    assert_no_formulas(response)


def test_the_accepted_applicants_keep_their_phone_and_acceptance_time(organiser, make_event, client):
    workshop = make_event(registration_mode="application")
    add_applications(workshop, 1, status=ApplicationStatus.ACCEPTED, phone=PHONE)
    rows = csv_rows(client.get(f"/admin/events/{workshop.id}/applications/accepted.csv"))
    records = xlsx_records(xlsx_sheet(client.get(f"/admin/events/{workshop.id}/applications/accepted.xlsx")))
    assert rows[0]["Phone"] == PHONE and records[0]["Phone"].value == PHONE
    accepted = db.session.scalar(sa.select(Registration)).application.decided_at
    assert datetime.fromisoformat(rows[0]["Accepted on (Asia/Seoul time)"]) == accepted.replace(microsecond=0)
    assert rows[0]["Accepted on (Asia/Seoul time)"].endswith("+09:00")


def test_a_control_character_pasted_into_a_name_does_not_break_the_xlsx(organiser, make_event, client):
    event = make_event()
    add_registrations(event, 1, organisation="Daedeok\x0bInnopolis", phone=PHONE)
    response = client.get(f"/admin/events/{event.id}/attendees.xlsx")
    [record] = xlsx_records(xlsx_sheet(response))
    assert record["Organisation"].value == "DaedeokInnopolis"  # XML cannot hold it; everything else stays
    assert record["Phone"].value == PHONE
