"""Participants choose programme sessions: seats, waiting lists, overlaps, changes from the personal link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ChoiceStatus, ProgrammeSession, Registration, SessionChoice
from tests.conftest import csrf_token, link_in, start_writing, text_of
from tests.integration.programme_support import forum_with_three_sessions


@pytest.fixture
def forum(make_event):
    """A forum with a programme: a plenary, two parallel sessions at the same time (one nearly full)."""
    return forum_with_three_sessions(make_event)


def choices(email: str) -> dict[str, str]:
    rows = db.session.execute(
        sa.select(ProgrammeSession.title, SessionChoice.status)
        .join(SessionChoice.session).join(SessionChoice.registration)
        .where(Registration.email == email)
    ).tuples()
    return {title.split(":")[0]: status.value for title, status in rows}


def test_a_participant_picks_two_sessions_one_full_and_the_email_lists_both(
        forum, register, mailbox, deliver_emails):
    register(forum, email="first@example.org", sessions=[forum.sessions["parks"]])

    page = register(forum, email="amina.diallo@example.org",
                    sessions=[forum.sessions["plenary"], forum.sessions["parks"]])

    assert page.status_code == 200
    assert choices("amina.diallo@example.org") == {"Plenary": "confirmed", "Parallel A": "waitlisted"}
    deliver_emails()
    body = text_of(mailbox.to("amina.diallo@example.org")[-1])
    assert "Plenary: science cities and AI (Grand Hall): Seat confirmed" in body
    assert "Parallel A: science park governance (Room 201): On the waiting list" in body


def test_the_form_shows_seats_left_and_full_sessions(forum, client, register):
    register(forum, email="first@example.org", sessions=[forum.sessions["parks"]])

    page = client.get(f"/events/{forum.slug}").get_data(as_text=True)

    assert "Parallel A: science park governance" in page
    assert "Full · waiting list" in page
    assert "Room 202" in page


def test_two_sessions_at_the_same_time_are_refused_next_to_the_field_and_nothing_is_saved(forum, register):
    page = register(forum, sessions=[forum.sessions["parks"], forum.sessions["funds"]])

    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="sessions-error"' in html and "take place at the same time" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_a_session_of_another_event_is_refused(forum, make_event, register):
    other = make_event()
    start_writing()
    foreign = ProgrammeSession(event_id=other.id, title="Elsewhere", starts_at=other.starts_at,
                               ends_at=other.starts_at + timedelta(hours=1))
    db.session.add(foreign)
    db.session.commit()

    page = register(forum, sessions=[foreign.id])

    assert page.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_cancelling_frees_the_seat_for_the_next_in_the_session_waiting_list(
        forum, client, register, mailbox, deliver_emails):
    register(forum, email="first@example.org", sessions=[forum.sessions["parks"]])
    register(forum, email="second@example.org", sessions=[forum.sessions["parks"]])
    deliver_emails()
    link = link_in(mailbox.to("first@example.org")[-1])

    page = client.get(f"{link}/cancel")
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(page)})

    assert choices("second@example.org") == {"Parallel A": "confirmed"}
    deliver_emails()
    email = mailbox.to("second@example.org")[-1]
    assert email["Subject"].startswith("A seat is yours")
    assert "Parallel A: science park governance" in text_of(email)
    assert choices("first@example.org") == {}


def test_someone_on_the_event_waiting_list_waits_for_sessions_too_and_gets_the_seat_when_promoted(
        forum, client, register, mailbox, deliver_emails):
    for n in range(3):
        register(forum, email=f"p{n}@example.org", sessions=[forum.sessions["plenary"]])
    register(forum, email="late@example.org", sessions=[forum.sessions["plenary"], forum.sessions["funds"]])
    assert choices("late@example.org") == {"Plenary": "waitlisted", "Parallel B": "waitlisted"}
    deliver_emails()

    link = link_in(mailbox.to("p0@example.org")[-1])
    client.post(f"{link}/cancel", data={"csrf_token": csrf_token(client.get(f"{link}/cancel"))})

    assert choices("late@example.org") == {"Plenary": "confirmed", "Parallel B": "confirmed"}
    deliver_emails()
    promoted = mailbox.to("late@example.org")[-1]
    assert "a place is yours" in promoted["Subject"]
    assert "Parallel B: start-up funding (Room 202): Seat confirmed" in text_of(promoted)


def test_a_participant_changes_sessions_from_the_personal_link(forum, client, register, mailbox, deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["parks"]])
    register(forum, email="waiting@example.org", sessions=[forum.sessions["parks"]])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    assert "Change my sessions" in client.get(link).get_data(as_text=True)

    form = client.get(f"{link}/sessions")
    page = client.post(f"{link}/sessions", data={
        "csrf_token": csrf_token(form), "sessions": [forum.sessions["plenary"], forum.sessions["funds"]],
    }, follow_redirects=True)

    assert "Your sessions are saved." in page.get_data(as_text=True)
    assert choices("amina.diallo@example.org") == {"Plenary": "confirmed", "Parallel B": "confirmed"}
    assert choices("waiting@example.org") == {"Parallel A": "confirmed"}  # the freed seat went on
    deliver_emails()
    changed = mailbox.to("amina.diallo@example.org")[-1]
    assert changed["Subject"].startswith("Your sessions are changed")
    assert "Parallel B: start-up funding (Room 202): Seat confirmed" in text_of(changed)
    assert "Parallel A" not in text_of(changed)
    assert mailbox.to("waiting@example.org")[-1]["Subject"].startswith("A seat is yours")


def test_overlapping_change_is_refused_and_keeps_the_old_choices(forum, client, register, mailbox, deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["parks"]])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])

    page = client.post(f"{link}/sessions", data={
        "csrf_token": csrf_token(client.get(f"{link}/sessions")),
        "sessions": [forum.sessions["parks"], forum.sessions["funds"]],
    })

    assert page.status_code == 422
    assert "take place at the same time" in page.get_data(as_text=True)
    assert choices("amina.diallo@example.org") == {"Parallel A": "confirmed"}


def test_sessions_cannot_be_changed_after_registration_closes(forum, client, register, mailbox, deliver_emails):
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["parks"]])
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    form = client.get(f"{link}/sessions")
    start_writing()
    forum.registration_closes_at = forum.starts_at - timedelta(days=40)  # closed long ago
    db.session.commit()

    page = client.post(f"{link}/sessions", data={"csrf_token": csrf_token(form), "sessions": []})

    assert "Registration has closed" in page.get_data(as_text=True)
    assert choices("amina.diallo@example.org") == {"Parallel A": "confirmed"}
    assert "Change my sessions" not in client.get(link).get_data(as_text=True)


def test_an_event_without_a_programme_has_no_session_question(make_event, client):
    event = make_event()
    assert 'name="sessions"' not in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_session_seat_states_are_listed_on_the_personal_page(forum, client, register, mailbox, deliver_emails):
    register(forum, email="first@example.org", sessions=[forum.sessions["parks"]])
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["parks"]])
    deliver_emails()

    page = client.get(link_in(mailbox.to("amina.diallo@example.org")[-1])).get_data(as_text=True)

    assert "Your sessions" in page and "Parallel A: science park governance" in page
    assert ChoiceStatus.WAITLISTED.label in page


def test_the_confirmation_calendar_file_lists_the_sessions_with_a_seat(forum, register, mailbox, deliver_emails):
    import icalendar

    register(forum, email="first@example.org", sessions=[forum.sessions["parks"]])
    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"], forum.sessions["parks"]])
    deliver_emails()

    email = mailbox.to("amina.diallo@example.org")[-1]
    ics = next(part for part in email.iter_attachments() if part.get_filename().endswith(".ics"))
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    entries = [(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")]
    # Not the waitlisted one, and not the whole event on top of its sessions.
    assert [summary for summary, _ in entries] == ["Daejeon Global Innovation Forum 2026: Plenary: science cities and AI"]
    assert entries[0][1] == forum.starts_at.replace(microsecond=0) and str(entries[0][1].tzinfo) == "Asia/Seoul"


def test_add_to_calendar_on_the_personal_page_includes_the_sessions_with_a_seat(
        forum, client, register, mailbox, deliver_emails):
    import icalendar

    register(forum, email="amina.diallo@example.org", sessions=[forum.sessions["plenary"], forum.sessions["funds"]])
    deliver_emails()

    ics = client.get(link_in(mailbox.to("amina.diallo@example.org")[-1]) + "/calendar.ics")

    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(ics.data).walk("VEVENT")]
    assert summaries == ["Daejeon Global Innovation Forum 2026: Plenary: science cities and AI",
                         "Daejeon Global Innovation Forum 2026: Parallel B: start-up funding"]
