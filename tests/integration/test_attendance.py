"""After (or during) the event: who came on which day, on the page and in the CSV, and the rules behind it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.demo.events import forums
from app.extensions import db
from app.models import CheckIn, Event, Registration, RegistrationStatus, utcnow
from app.services.attendance import attendance, attendance_reports
from tests.conftest import start_writing
from tests.integration.organiser_support import add_registrations


@pytest.fixture
def past_workshop(make_event):
    """A three-day workshop in Daejeon that ended last month: 09:00 on 3 Nov to 18:00 on 5 Nov 2026 (KST)."""
    return make_event(
        starts_at=datetime(2026, 11, 3, 0, 0, tzinfo=UTC), ends_at=datetime(2026, 11, 5, 9, 0, tzinfo=UTC),
        registration_opens_at=datetime(2026, 9, 1, tzinfo=UTC), registration_closes_at=datetime(2026, 10, 20, tzinfo=UTC),
    )


DAYS = [date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5)]


def at_venue(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=9)  # KST = UTC+9


def attend(registrations, day: date, hour: int = 8, minute: int = 50) -> None:
    start_writing()
    attendance.record_attendance(db.session, [r.id for r in registrations], day, at=at_venue(day, hour, minute))
    db.session.commit()


def test_event_days_are_the_calendar_days_at_the_venue(past_workshop):
    assert attendance.event_days(past_workshop) == DAYS
    # 23:30 UTC is already the next morning in Seoul.
    late = Event(timezone="Asia/Seoul", starts_at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC),
                 ends_at=datetime(2026, 11, 3, 8, 0, tzinfo=UTC))
    assert attendance.event_days(late) == [date(2026, 11, 3)]


def test_days_attended_and_the_bulk_helper_skip_what_is_already_recorded(past_workshop):
    first, second = add_registrations(past_workshop, 2)
    attend([first, second], DAYS[0])
    attend([first], DAYS[2])

    start_writing()
    again = attendance.record_attendance(db.session, [first.id, first.id], DAYS[0], at=at_venue(DAYS[0], 10, 0))
    db.session.commit()

    assert again == 0
    assert attendance.days_attended(db.session, first.id) == {DAYS[0], DAYS[2]}
    assert attendance.days_attended(db.session, second.id) == {DAYS[0]}
    assert attendance.days_attended_by_registration(db.session, [first.id, second.id, 999_999]) == {
        first.id: {DAYS[0], DAYS[2]}, second.id: {DAYS[0]}, 999_999: set()}
    assert attendance_reports.daily_totals(db.session, past_workshop) == {DAYS[0]: 2, DAYS[1]: 0, DAYS[2]: 1}


def test_the_attendance_page_shows_who_came_on_which_day(past_workshop, make_user, auth, client):
    make_user()
    auth.login()
    ada, bo = add_registrations(past_workshop, 2)
    add_registrations(past_workshop, 1, status=RegistrationStatus.CANCELLED, given_name="Gone")
    attend([ada, bo], DAYS[0], 8, 47)
    attend([ada], DAYS[1], 9, 5)

    page = client.get(f"/admin/events/{past_workshop.id}/attendance").get_data(as_text=True)

    assert "Day 1 · Tue 3 Nov 2026" in page and "Day 3 · Thu 5 Nov 2026" in page
    assert "✓ 08:47" in page and "✓ 09:05" in page
    assert ada.full_name in page and bo.full_name in page and "Gone" not in page  # cancelled, never came
    assert "Showing 1–2 of 2" in page


def test_the_attendance_list_is_paged(past_workshop, make_user, auth, client, app):
    make_user()
    auth.login()
    add_registrations(past_workshop, app.config["ATTENDEES_PER_PAGE"] + 3)
    second = client.get(f"/admin/events/{past_workshop.id}/attendance?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and f"Showing {app.config['ATTENDEES_PER_PAGE'] + 1}–" in second


def test_an_event_without_confirmed_people_says_so(past_workshop, make_user, auth, client):
    make_user()
    auth.login()
    page = client.get(f"/admin/events/{past_workshop.id}/attendance").get_data(as_text=True)
    assert "Nobody is confirmed for this event yet" in page


def test_the_attendance_csv_has_a_column_per_day_and_is_safe_in_a_spreadsheet(past_workshop, make_user, auth, client):
    make_user()
    auth.login()
    ada, bo = add_registrations(past_workshop, 2)
    start_writing()
    ada_row = db.session.get(type(ada), ada.id)
    ada_row.organisation = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    attend([ada], DAYS[0], 8, 47)
    attend([ada, bo], DAYS[2], 9, 12)

    response = client.get(f"/admin/events/{past_workshop.id}/attendance.csv")

    assert response.mimetype == "text/csv"
    assert "attendance" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_reference = {row["Reference"]: row for row in rows}
    # The first check-in of each day, on the venue's clock with its offset.
    assert by_reference[ada.reference]["Day 1: 2026-11-03 (Asia/Seoul time)"] == "2026-11-03T08:47:00+09:00"
    assert by_reference[ada.reference]["Day 2: 2026-11-04 (Asia/Seoul time)"] == ""
    assert by_reference[ada.reference]["Day 3: 2026-11-05 (Asia/Seoul time)"] == "2026-11-05T09:12:00+09:00"
    assert by_reference[ada.reference]["Days attended"] == "2"
    assert by_reference[bo.reference]["Days attended"] == "1"
    assert by_reference[ada.reference]["Organisation"].startswith("'=")


def test_the_demo_data_gives_the_past_forum_its_attendance(app, runner):
    db.session.commit()
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    _upcoming, past = forums(utcnow())
    past_event = db.session.scalar(sa.select(Event).where(Event.slug == past.slug))
    totals = attendance_reports.daily_totals(db.session, past_event)
    confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.event_id == past_event.id, Registration.status == RegistrationStatus.CONFIRMED))
    assert list(totals) == attendance.event_days(past_event)
    assert all(0.6 * confirmed < number <= confirmed for number in totals.values()), (totals, confirmed)
    # Only events that have begun have check-ins (the past editions of the forum do; the workshops do not).
    attended = db.session.scalars(sa.select(Event).where(
        Event.id.in_(sa.select(Registration.event_id).join(CheckIn, CheckIn.registration_id == Registration.id))))
    assert all(event.starts_at <= utcnow() for event in attended)


def test_organisers_list_who_did_not_come_on_a_day(past_workshop, make_user, auth, client):
    make_user()
    auth.login()
    came, missing = add_registrations(past_workshop, 2)
    attend([came], DAYS[1])
    url = f"/admin/events/{past_workshop.id}/attendance"

    absent = client.get(url, query_string={"day": "2026-11-04", "present": "no"}).get_data(as_text=True)
    assert "Showing only those who did not come on Wed 4 Nov 2026" in absent
    assert missing.full_name in absent and came.full_name not in absent

    present = client.get(url, query_string={"day": "2026-11-04", "present": "yes"}).get_data(as_text=True)
    assert came.full_name in present and missing.full_name not in present

    nobody = client.get(url, query_string={"day": "2026-11-05", "present": "yes"}).get_data(as_text=True)
    assert "Nobody was checked in on Thu 5 Nov 2026" in nobody
    # A day outside the event, or nonsense, shows everyone rather than an error.
    for junk in ({"day": "2026-12-25", "present": "no"}, {"day": "yesterday", "present": "no"}, {"day": "2026-11-04"}):
        page = client.get(url, query_string=junk)
        assert page.status_code == 200 and "Showing 1–2 of 2" in page.get_data(as_text=True)


def test_the_attendance_page_and_check_in_page_query_count_does_not_grow_with_people(make_event, make_user, auth,
                                                                                     client, past_workshop,
                                                                                     count_queries):
    make_user()
    auth.login()
    small_people = add_registrations(past_workshop, 2)
    attend(small_people, DAYS[0])
    big = make_event(starts_at=past_workshop.starts_at, ends_at=past_workshop.ends_at,
                     registration_opens_at=past_workshop.registration_opens_at,
                     registration_closes_at=past_workshop.registration_closes_at)
    big_people = add_registrations(big, 40)
    attend(big_people, DAYS[0])
    attend(big_people[:30], DAYS[1])
    client.get("/admin/")

    for page in ("attendance", "check-in"):
        small_count = count_queries(f"/admin/events/{past_workshop.id}/{page}")
        assert count_queries(f"/admin/events/{big.id}/{page}") == small_count, page
