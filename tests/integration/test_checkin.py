"""At the door: staff scan a badge or type a code or a name, and the participant is checked in for the day."""

from __future__ import annotations

import html as html_module
import re
import threading
import traceback
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import (
    Application,
    ApplicationStatus,
    CheckIn,
    ChoiceStatus,
    ProgrammeSession,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Title,
    utcnow,
)
from app.services.attendance import attendance, attendance_reports
from tests.conftest import csrf_token, start_writing
from tests.integration.organiser_support import add_manager, add_registrations, post_action
from tests.integration.programme_support import choose

PASSWORD = "correct horse battery"


@pytest.fixture
def running_event(make_event):
    """A workshop that is on today at the venue (Daejeon) and for two more days."""
    now = utcnow()
    return make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=2),
                      registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))


@pytest.fixture
def staff(make_user, auth):
    make_user()  # an admin organiser
    auth.login()


def amina(event, **fields) -> Registration:
    values = dict(given_name="Amina", family_name="Diallo", organisation="Dakar Technology Park", country="SN",
                  email="amina.diallo@example.org")
    values.update(fields)
    return add_registrations(event, 1, **values)[0]


def scan(client, event, code: str = "", **extra):
    page = client.get(f"/admin/events/{event.id}/check-in")
    return client.post(f"/admin/events/{event.id}/check-in",
                       data={"code": code, "csrf_token": csrf_token(page), **extra})


def check_ins() -> list[CheckIn]:
    db.session.commit()
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


def result_panel(response) -> str:
    html = response.get_data(as_text=True)
    panel = html[html.index('id="checkin-result"'):]
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel[:panel.index("</div>")])))


def test_scanning_a_badge_checks_the_participant_in_and_shows_who_it_is(running_event, staff, client):
    person = amina(running_event)

    response = scan(client, running_event, person.reference)

    assert response.status_code == 200
    panel = result_panel(response)
    assert "Checked in" in panel
    assert "Amina Diallo" in panel
    assert "Dakar Technology Park" in panel and "Senegal" in panel and "Confirmed" in panel
    assert re.search(r'<input[^>]*id="code"[^>]*value=""', response.get_data(as_text=True))  # ready for the next
    [row] = check_ins()
    assert (row.registration_id, row.session_id) == (person.id, None)
    assert row.day == running_event.local(utcnow()).date()
    assert row.checked_in_by_id is not None


@pytest.mark.parametrize("typed", [
    "{code}", "{lower}", " {lower_spaced} ", "{compact}", "{suffix}", "https://events.wtanet.org/checkin/{code}",
])
def test_the_code_may_be_typed_loosely_or_scanned_as_a_link(running_event, staff, client, typed):
    person = amina(running_event)
    suffix = person.reference.split("-")[1]
    text = typed.format(code=person.reference, lower=person.reference.lower(),
                        lower_spaced=person.reference.lower().replace("-", " "),
                        compact=person.reference.replace("-", ""), suffix=suffix.lower())

    response = scan(client, running_event, text)

    assert "Checked in" in result_panel(response)
    assert [r.registration_id for r in check_ins()] == [person.id]


def test_a_typed_name_lists_the_people_it_fits_and_one_tap_checks_in(running_event, staff, client):
    person = amina(running_event)
    amina(running_event, given_name="Aminata", family_name="Touré", email="aminata@example.org", country="ML")
    add_registrations(running_event, 1, given_name="Kwame", family_name="Mensah", email="kwame@example.org")

    response = scan(client, running_event, "amin")

    panel = result_panel(response)
    assert "Who is it?" in panel
    assert "Amina Diallo" in panel and "Aminata Touré" in panel and "Kwame" not in panel
    assert check_ins() == []  # a name alone checks nobody in: staff pick the person

    response = scan(client, running_event, "", registration_id=str(person.id))
    assert "Checked in" in result_panel(response) and "Amina Diallo" in result_panel(response)
    assert [r.registration_id for r in check_ins()] == [person.id]


def test_nobody_found_says_so_and_records_nothing(running_event, staff, client):
    amina(running_event)
    panel = result_panel(scan(client, running_event, "ZZZZ-9999"))
    assert "Nobody matches “ZZZZ-9999”" in panel
    assert "Scan a badge" in result_panel(scan(client, running_event, "   "))
    assert check_ins() == []


def test_a_double_scan_says_when_the_person_was_checked_in_and_stores_one_row(running_event, staff, client):
    person = amina(running_event)
    scan(client, running_event, person.reference)
    [first] = check_ins()
    first_time = running_event.local(first.checked_in_at).strftime("%H:%M")

    panel = result_panel(scan(client, running_event, person.reference.lower()))

    assert f"Already checked in at {first_time}" in panel and "Amina Diallo" in panel
    assert len(check_ins()) == 1


def test_simultaneous_scans_of_one_badge_give_one_row_and_no_error(app, running_event):
    """Two phones at two doors scan the same badge at the same moment (and a few more for good measure)."""
    person = amina(running_event)
    event_id, registration_id = running_event.id, person.id
    db.session.commit()
    start, outcomes = threading.Barrier(8), []

    def one_phone() -> None:
        with app.app_context():
            try:
                event = db.session.get(type(running_event), event_id)
                db.session.commit()
                start.wait()
                begin_write(db.session)
                result = attendance.check_in(db.session, event, registration_id, now=utcnow())
                db.session.commit()
                outcomes.append(("ok", result.created))
            except Exception:
                db.session.rollback()
                outcomes.append(("error", traceback.format_exc()))

    phones = [threading.Thread(target=one_phone) for _ in range(8)]
    for phone in phones:
        phone.start()
    for phone in phones:
        phone.join(timeout=60)

    assert [o for o in outcomes if o[0] == "error"] == []
    assert sorted(created for _, created in outcomes) == [False] * 7 + [True]
    assert len(check_ins()) == 1


@pytest.mark.parametrize(("status", "words"), [
    (RegistrationStatus.CANCELLED, "Not checked in: the registration of Ms Amina Diallo was cancelled."),
    (RegistrationStatus.WAITLISTED, "Not checked in: Ms Amina Diallo is on the waiting list, not confirmed. "
                                    "Confirm their place on the attendee list first"),
])
def test_cancelled_and_waitlisted_people_are_refused_with_their_status(running_event, staff, client, status, words):
    person = amina(running_event, status=status, title=Title.MS)

    panel = result_panel(scan(client, running_event, person.reference))

    assert words in panel
    assert "Dakar Technology Park" in panel  # staff still see who it is
    assert check_ins() == []


@pytest.fixture
def running_workshop(make_event):
    """A workshop that selects its participants from applications, on today at the venue."""
    now = utcnow()
    return make_event(registration_mode=RegistrationMode.APPLICATION, capacity=20,
                      starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=4),
                      registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30))


_REGISTRATION_STATUS_OF = {ApplicationStatus.ACCEPTED: RegistrationStatus.CONFIRMED,
                           ApplicationStatus.DECLINED: RegistrationStatus.CANCELLED,
                           ApplicationStatus.WITHDRAWN: RegistrationStatus.CANCELLED}


def applicant(event, decision: ApplicationStatus, **fields) -> Registration:
    """Someone who applied, with the registration status that the organisers' decision gives."""
    person = amina(event, status=_REGISTRATION_STATUS_OF.get(decision, RegistrationStatus.APPLIED), **fields)
    start_writing()
    db.session.add(Application(registration_id=person.id, status=decision, submitted_at=utcnow()))
    db.session.commit()
    return person


@pytest.mark.parametrize(("decision", "words"), [
    (ApplicationStatus.WAITLISTED, "Not checked in: Ms Amina Diallo is on the reserve list, not accepted. "
                                   "Accept the application first if a place is free."),
    (ApplicationStatus.SUBMITTED, "Not checked in: Ms Amina Diallo has applied and the application is not decided yet."),
    (ApplicationStatus.UNDER_REVIEW, "Ms Amina Diallo has applied and the application is not decided yet."),
    (ApplicationStatus.DECLINED, "Not checked in: the application of Ms Amina Diallo was declined."),
    (ApplicationStatus.WITHDRAWN, "Not checked in: Ms Amina Diallo withdrew the application."),
])
def test_an_applicant_without_a_place_is_refused_with_the_state_of_the_application(
        running_workshop, staff, client, decision, words):
    person = applicant(running_workshop, decision, title=Title.MS)
    applicant(running_workshop, ApplicationStatus.ACCEPTED, given_name="Kwame", family_name="Mensah",
              email="kwame@example.org")

    response = scan(client, running_workshop, person.reference)

    panel = result_panel(response)
    assert words in panel and "Checked in" not in panel.replace("Not checked in", "")
    assert "Dakar Technology Park" in panel  # staff still see who it is
    assert check_ins() == []
    counts = client.get(f"/admin/events/{running_workshop.id}/check-in/counts.json").get_json()
    assert (counts["checked_in"], counts["expected"]) == (0, 1)  # only Kwame, accepted, is expected


def test_an_accepted_applicant_is_checked_in(running_workshop, staff, client):
    person = applicant(running_workshop, ApplicationStatus.ACCEPTED)

    assert "Checked in" in result_panel(scan(client, running_workshop, person.reference))
    assert [r.registration_id for r in check_ins()] == [person.id]


def test_a_reserve_list_applicant_is_refused_from_a_scanned_link_a_name_search_and_the_phone(
        running_workshop, staff, client):
    person = applicant(running_workshop, ApplicationStatus.WAITLISTED)
    refusal = "Not checked in: Amina Diallo is on the reserve list"

    assert refusal in result_panel(scan(client, running_workshop, f"https://events.wtanet.org/checkin/{person.reference}"))

    found = result_panel(scan(client, running_workshop, "diallo"))
    assert "Who is it?" in found and "Amina Diallo" in found  # found, so staff can read why not
    assert refusal in result_panel(scan(client, running_workshop, "", registration_id=str(person.id)))

    page = client.get(f"/admin/events/{running_workshop.id}/check-in")
    answer = client.post(f"/admin/events/{running_workshop.id}/check-in", headers={"Accept": "application/json"},
                         data={"code": person.reference, "csrf_token": csrf_token(page)}).get_json()
    assert answer["outcome"] == "refused" and answer["message"].startswith(refusal)
    assert refusal in answer["html"] and answer["counts"]["checked_in"] == 0
    assert check_ins() == []


def test_check_in_is_refused_outside_the_event_days(make_event, staff, client):
    event = make_event()  # in 30 days
    person = amina(event)

    response = scan(client, event, person.reference)

    panel = result_panel(response)
    assert "Not checked in: check-in is only open on the days of the event" in panel and "Today at the venue is" in panel
    assert "Check-in is open on the days of the event" in response.get_data(as_text=True)  # said before scanning
    assert check_ins() == []


def add_session(event, title: str, starts_in: timedelta, **values) -> ProgrammeSession:
    start_writing()
    starts = utcnow() + starts_in
    programme_session = ProgrammeSession(event_id=event.id, title=title, starts_at=starts,
                                         ends_at=starts + timedelta(minutes=30), **values)
    db.session.add(programme_session)
    db.session.commit()
    return programme_session


def test_with_a_programme_staff_check_people_in_per_session(running_event, staff, client):
    person = amina(running_event)
    # Starts a minute from now at the venue: today, whatever the hour (the event's first day began an hour ago).
    keynote = add_session(running_event, "Opening keynote", timedelta(minutes=1), room="Hall A")
    tomorrow = add_session(running_event, "Site visit", timedelta(days=1, minutes=1))

    page = client.get(f"/admin/events/{running_event.id}/check-in").get_data(as_text=True)
    assert "Opening keynote · Hall A" in page and "Site visit" not in page  # only today's sessions

    panel = result_panel(scan(client, running_event, person.reference, session_id=str(keynote.id)))
    assert "Checked in for “Opening keynote”" in panel
    assert "Already checked in" in result_panel(scan(client, running_event, person.reference, session_id=str(keynote.id)))
    assert "Checked in" in result_panel(scan(client, running_event, person.reference))  # at the door: its own row
    panel = result_panel(scan(client, running_event, person.reference, session_id=str(tomorrow.id)))
    assert "“Site visit” is on" in panel and "not today" in panel

    rows = check_ins()
    assert sorted((r.session_id or 0) for r in rows) == [0, keynote.id]
    assert attendance.days_attended(db.session, person.id) == {running_event.local(utcnow()).date()}

    counts = client.get(f"/admin/events/{running_event.id}/check-in/counts.json").get_json()
    assert counts["checked_in"] == 1  # one person, though seen twice
    assert [(s["title"], s["checked_in"]) for s in counts["sessions"]] == [("Opening keynote", 1)]


def test_at_a_session_with_seats_only_people_holding_one_are_checked_in(running_event, staff, client):
    seated = amina(running_event)
    waiting = amina(running_event, given_name="Kwame", family_name="Mensah", email="kwame@example.org")
    not_chosen = amina(running_event, given_name="Lan", family_name="Nguyen", email="lan@example.org")
    on_waiting_list = amina(running_event, given_name="Juan", family_name="Pérez", email="juan@example.org",
                            status=RegistrationStatus.WAITLISTED)
    incubators = add_session(running_event, "Incubator clinic", timedelta(minutes=1), seat_limit=1)
    plenary = add_session(running_event, "Plenary", timedelta(minutes=2))  # no seat limit: open to all with a place
    choose([seated], incubators)
    choose([waiting], incubators, status=ChoiceStatus.WAITLISTED)

    def at(session, person) -> str:
        return result_panel(scan(client, running_event, person.reference, session_id=str(session.id)))

    assert ("Not checked in for “Incubator clinic”: Kwame Mensah has no seat in this session: on its waiting list."
            in at(incubators, waiting))
    assert ("Not checked in for “Incubator clinic”: Lan Nguyen has no seat in this session: the session was not chosen."
            in at(incubators, not_chosen))
    assert "Not checked in: Juan Pérez is on the waiting list" in at(plenary, on_waiting_list)
    assert check_ins() == []  # refusals write nothing

    assert "Checked in for “Incubator clinic”" in at(incubators, seated)
    assert "Checked in for “Plenary”" in at(plenary, not_chosen)
    assert "Checked in" in result_panel(scan(client, running_event, waiting.reference))  # at the door: a place
    assert sorted((r.registration_id, r.session_id) for r in check_ins()) == sorted(
        [(seated.id, incubators.id), (not_chosen.id, plenary.id), (waiting.id, None)])
    counts = client.get(f"/admin/events/{running_event.id}/check-in/counts.json").get_json()
    assert [(s["title"], s["checked_in"], s["seats_taken"]) for s in counts["sessions"]] == [
        ("Incubator clinic", 1, 1), ("Plenary", 1, 0)]


def test_a_check_in_that_outlived_the_place_is_not_counted_as_present(running_event, staff, client):
    stays, leaves = add_registrations(running_event, 2)
    for person in (stays, leaves):
        scan(client, running_event, person.reference)
    attendees = f"/admin/events/{running_event.id}/attendees"
    post_action(client, attendees, f"{attendees}/{leaves.id}/cancel")  # cancelled after arriving

    counts = client.get(f"/admin/events/{running_event.id}/check-in/counts.json").get_json()
    assert (counts["checked_in"], counts["expected"]) == (1, 1)
    matrix = client.get(f"/admin/events/{running_event.id}/attendance").get_data(as_text=True)
    assert stays.full_name in matrix and leaves.full_name not in matrix and "Showing 1–1 of 1" in matrix
    today = running_event.local(utcnow()).date()
    assert attendance_reports.daily_totals(db.session, running_event)[today] == 1
    # The visit itself is not erased: the person's own page still shows it.
    person_page = client.get(f"{attendees}/{leaves.id}").get_data(as_text=True)
    assert re.search(r"Checked in</dt>\s*<dd>1 of \d days", person_page)


def test_live_counts_show_checked_in_today_against_confirmed(running_event, staff, client):
    people = add_registrations(running_event, 5)
    add_registrations(running_event, 2, status=RegistrationStatus.WAITLISTED)
    for person in people[:3]:
        scan(client, running_event, person.reference)

    counts = client.get(f"/admin/events/{running_event.id}/check-in/counts.json").get_json()
    assert (counts["checked_in"], counts["expected"], counts["is_event_day"]) == (3, 5, True)

    event_page = client.get(f"/admin/events/{running_event.id}/attendees").get_data(as_text=True)
    assert re.search(r'data-count="checked_in">3</span> of\s*<span data-count="expected">5</span> expected', event_page)
    assert "checkin-counts.js" in event_page


def test_the_event_page_shows_no_check_in_counts_before_the_event(make_event, staff, client):
    event = make_event()
    assert "Checked in today" not in client.get(f"/admin/events/{event.id}/attendees").get_data(as_text=True)


def test_with_javascript_a_scan_answers_in_json_with_the_panel_and_counts(running_event, staff, client):
    person = amina(running_event)
    page = client.get(f"/admin/events/{running_event.id}/check-in")

    response = client.post(f"/admin/events/{running_event.id}/check-in", headers={"Accept": "application/json"},
                           data={"code": person.reference, "csrf_token": csrf_token(page)})

    answer = response.get_json()
    assert answer["outcome"] == "checked_in" and answer["message"] == "Checked in"
    assert 'id="checkin-result"' in answer["html"] and "Amina Diallo" in answer["html"]
    assert answer["counts"]["checked_in"] == 1


def test_a_scan_without_csrf_token_is_refused(running_event, staff, client):
    person = amina(running_event)
    response = client.post(f"/admin/events/{running_event.id}/check-in", data={"code": person.reference})
    assert response.status_code == 400
    assert check_ins() == []


def test_a_mistaken_check_in_is_undone_after_confirmation(running_event, staff, client):
    person = amina(running_event)
    scan(client, running_event, person.reference)
    [row] = check_ins()
    url = f"/admin/events/{running_event.id}/check-ins/{row.id}/undo"

    confirmation = client.get(url)
    assert "Undo this check-in?" in confirmation.get_data(as_text=True)
    assert len(check_ins()) == 1  # looking at the question changes nothing

    response = client.post(url, data={"csrf_token": csrf_token(confirmation)}, follow_redirects=True)
    assert "The check-in of Amina Diallo is undone." in response.get_data(as_text=True)
    assert check_ins() == []
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "no longer exists" in again


def test_another_organiser_cannot_see_or_use_the_check_in(running_event, make_user, auth, client):
    person = amina(running_event)
    owner = make_user("owner@wtanet.org", admin=False)
    make_user("other@wtanet.org", admin=False)
    add_manager(running_event, owner)
    start_writing()
    row = CheckIn(registration_id=person.id, day=running_event.local(utcnow()).date(), checked_in_at=utcnow())
    db.session.add(row)
    db.session.commit()
    base = f"/admin/events/{running_event.id}"

    auth.login("other@wtanet.org", PASSWORD)
    token = csrf_token(client.get("/admin/"))
    for url in (f"{base}/check-in", f"{base}/check-in/counts.json", f"{base}/attendance", f"{base}/attendance.csv",
                f"{base}/attendance.xlsx", f"{base}/check-ins/{row.id}/undo"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/check-in", data={"code": person.reference, "csrf_token": token}).status_code == 404
    assert client.post(f"{base}/check-ins/{row.id}/undo", data={"csrf_token": token}).status_code == 404
    assert len(check_ins()) == 1

    auth.logout()
    auth.login("owner@wtanet.org", PASSWORD)
    assert client.get(f"{base}/check-in").status_code == 200


def test_a_code_ending_that_is_also_a_name_asks_who_it_is(running_event, staff, client):
    coded = amina(running_event, reference=f"{running_event.code}-JUAN")
    add_registrations(running_event, 1, given_name="Juan", family_name="Pérez", email="juan@example.org")

    panel = result_panel(scan(client, running_event, "juan"))
    assert "Who is it?" in panel and "Amina Diallo" in panel and "Juan Pérez" in panel
    assert check_ins() == []

    assert "Checked in" in result_panel(scan(client, running_event, coded.reference.lower()))
    assert [r.registration_id for r in check_ins()] == [coded.id]


def test_a_person_or_session_of_another_event_cannot_be_checked_in_here(running_event, make_event, staff, client):
    now = utcnow()
    other = make_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1))
    stranger = amina(other, email="stranger@example.org")
    their_session = add_session(other, "Their keynote", timedelta(minutes=1))
    person = amina(running_event)

    assert "not registered for this event" in result_panel(
        scan(client, running_event, "", registration_id=str(stranger.id)))
    assert "Nobody matches" in result_panel(scan(client, running_event, stranger.reference))
    assert "not part of this event's programme" in result_panel(
        scan(client, running_event, person.reference, session_id=str(their_session.id)))
    assert check_ins() == []
