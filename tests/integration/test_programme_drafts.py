"""An event with a programme, questions and a visa letter: its registration's confirmation is a draft too
(app/services/mail/drafts.py), fixing the status, the language and each chosen session with its seat or
waiting list; the mail worker writes it. The event's lock covers the seat decisions only (register()).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import (
    ChoiceStatus,
    OrganisationType,
    OrganiserAlerts,
    OutboxEmail,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    SessionChoice,
    utcnow,
)
from app.services.errors import DomainError
from app.services.programme import programme
from app.services.registration import registration as registration_service
from app.services.registration.registration import ParticipantDetails
from tests.conftest import start_writing, text_of
from tests.integration.programme_support import forum_with_three_sessions
from tests.integration.test_registration_path import statements_of_post


@pytest.fixture
def forum(make_event):
    """Three places; a plenary, and two parallel sessions at the same time, one with a single seat."""
    return forum_with_three_sessions(make_event)


def drafts_to(address: str) -> list[OutboxEmail]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == address)
                                   .order_by(OutboxEmail.id)))


def registration_of(email: str) -> Registration:
    db.session.rollback()
    return db.session.scalars(sa.select(Registration).where(Registration.email == email)).one()


def calendar_of(message) -> str:
    return next(part for part in message.iter_attachments() if part.get_filename().endswith(".ics")).get_content()


def test_the_confirmation_is_a_draft_saying_each_session_and_the_worker_writes_it_so_after_a_change(
        forum, register, deliver_emails, mailbox):
    s = forum.sessions
    register(forum, email="first@example.org", sessions=[s["parks"]])
    register(forum, email="amina.diallo@example.org", sessions=[s["plenary"], s["parks"]])

    [draft] = drafts_to("amina.diallo@example.org")
    assert (draft.kind, draft.subject, draft.body_text) == ("registration_confirmed", "", "")
    assert draft.draft == {"status": "confirmed", "language": "en",
                           "sessions": [[s["plenary"], "confirmed"], [s["parks"], "waitlisted"]]}

    # She changes her sessions before the worker gets to her confirmation.
    amina = registration_of("amina.diallo@example.org")
    start_writing()
    programme.change_sessions(db.session, amina.id, [s["plenary"], s["funds"]], now=utcnow())
    db.session.commit()

    deliver_emails()
    confirmation, changed = mailbox.to("amina.diallo@example.org")
    assert confirmation["Subject"] == f"Your place is confirmed: {forum.title}"
    body = text_of(confirmation)
    assert "Plenary: science cities and AI (Grand Hall): Seat confirmed" in body
    assert "Parallel A: science park governance (Room 201): On the waiting list" in body
    assert "Parallel B" not in body
    calendar = calendar_of(confirmation).replace("\r\n ", "")  # unfolded; the seat she had then: the plenary only
    assert "Plenary: science cities and AI" in calendar and "Parallel" not in calendar
    assert changed["Subject"].startswith("Your sessions are changed")
    assert "Parallel B: start-up funding (Room 202): Seat confirmed" in text_of(changed)
    # What was sent is stored on the row: the log shows it.
    [sent, _] = drafts_to("amina.diallo@example.org")
    assert not sent.is_draft and "Parallel A: science park governance (Room 201): On the waiting list" in sent.body_text


def test_someone_waitlisted_for_the_event_is_told_they_wait_for_their_sessions_too(forum, register, deliver_emails,
                                                                                   mailbox):
    s = forum.sessions
    for n in range(3):
        register(forum, email=f"p{n}@example.org", sessions=[s["plenary"]])
    register(forum, email="late@example.org", sessions=[s["plenary"], s["funds"]], language="ko")

    [draft] = drafts_to("late@example.org")
    assert draft.kind == "registration_waitlisted"
    assert draft.draft == {"status": "waitlisted", "language": "ko",
                           "sessions": [[s["plenary"], "waitlisted"], [s["funds"], "waitlisted"]]}
    deliver_emails()
    [email] = mailbox.to("late@example.org")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in email["Subject"])  # written in Korean, as registered
    body = text_of(email)
    assert "Plenary: science cities and AI" in body and "Parallel B: start-up funding" in body


def test_a_registration_without_sessions_of_a_programme_event_has_a_plain_draft(forum, register, deliver_emails,
                                                                                mailbox):
    register(forum, email="amina.diallo@example.org")

    [draft] = drafts_to("amina.diallo@example.org")
    assert draft.draft == {"status": "confirmed", "language": "en"}
    deliver_emails()
    assert mailbox.to("amina.diallo@example.org")[0]["Subject"] == f"Your place is confirmed: {forum.title}"


def _details(email: str) -> ParticipantDetails:
    return ParticipantDetails(given_name="Kofi", family_name="Mensah", email=email, organisation="Accra Tech Hub",
                              organisation_type=OrganisationType.SCIENCE_PARK, country="GH")


def _register_directly(forum, email: str, session_ids: list[int], **kwargs) -> Registration:
    db.session.rollback()
    begin_write(db.session)
    outcome = registration_service.register(
        db.session, forum.id, _details(email), now=utcnow(),
        attach=lambda registration, now: programme.choose_sessions(db.session, registration, session_ids, now=now),
        **kwargs)
    db.session.commit()
    return outcome.registration


def test_when_the_last_place_went_meanwhile_choices_and_draft_are_redone_under_the_lock(forum, register):
    """The page saw a free place; the lock says the event is full: the registration waits, so do its
    sessions, and its one draft says so."""
    s = forum.sessions
    for n in range(3):
        register(forum, email=f"p{n}@example.org")

    _register_directly(forum, "kofi@example.org", [s["plenary"], s["parks"]], confirmed_seen=0)

    kofi = registration_of("kofi@example.org")
    assert kofi.status is RegistrationStatus.WAITLISTED
    assert {c.session_id: c.status for c in programme.choices_of(db.session, kofi.id)} == {
        s["plenary"]: ChoiceStatus.WAITLISTED, s["parks"]: ChoiceStatus.WAITLISTED}
    assert [(e.kind, e.draft) for e in drafts_to("kofi@example.org")] == [
        ("registration_waitlisted", {"status": "waitlisted", "language": "en",
                                     "sessions": [[s["plenary"], "waitlisted"], [s["parks"], "waitlisted"]]})]


def test_when_the_last_seat_of_a_session_went_meanwhile_that_choice_waits_and_the_draft_says_so(
        forum, register, monkeypatch):
    s = forum.sessions
    register(forum, email="first@example.org", sessions=[s["parks"]])
    # The counts read before the lock miss the seat just taken (another request committed it meanwhile).
    monkeypatch.setattr(programme, "_confirmed_counts", lambda session, ids: {})

    _register_directly(forum, "kofi@example.org", [s["plenary"], s["parks"]], confirmed_seen=1)

    kofi = registration_of("kofi@example.org")
    assert kofi.status is RegistrationStatus.CONFIRMED
    assert {c.session_id: c.status for c in programme.choices_of(db.session, kofi.id)} == {
        s["plenary"]: ChoiceStatus.CONFIRMED, s["parks"]: ChoiceStatus.WAITLISTED}
    [draft] = drafts_to("kofi@example.org")
    assert draft.draft["sessions"] == [[s["plenary"], "confirmed"], [s["parks"], "waitlisted"]]


def test_a_session_removed_before_the_lock_refuses_and_keeps_nothing(forum, monkeypatch):
    s = forum.sessions
    seats_taken = registration_service.seats_taken

    def parks_gone(session, event_id, registration_id, session_ids):
        taken = seats_taken(session, event_id, registration_id, session_ids)
        taken.sessions.pop(s["parks"])
        return taken

    monkeypatch.setattr(registration_service, "seats_taken", parks_gone)
    with pytest.raises(DomainError, match="no longer in the programme"):
        _register_directly(forum, "kofi@example.org", [s["plenary"], s["parks"]], confirmed_seen=0)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionChoice)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0


def test_registering_without_the_page_count_decides_under_the_lock_and_queues_the_same_draft(forum, register):
    s = forum.sessions
    register(forum, email="first@example.org", sessions=[s["parks"]])

    _register_directly(forum, "kofi@example.org", [s["plenary"], s["parks"]])  # no confirmed_seen: lock first

    [draft] = drafts_to("kofi@example.org")
    assert draft.draft == {"status": "confirmed", "language": "en",
                           "sessions": [[s["plenary"], "confirmed"], [s["parks"], "waitlisted"]]}


def test_a_second_registration_with_the_same_email_keeps_the_first(forum, register):
    s = forum.sessions
    register(forum, email="amina.diallo@example.org", sessions=[s["parks"]])

    page = register(forum, email="amina.diallo@example.org", sessions=[s["plenary"]])

    assert b"already" in page.data.lower()
    amina = registration_of("amina.diallo@example.org")
    assert [c.session_id for c in programme.choices_of(db.session, amina.id)] == [s["parks"]]
    assert [e.kind for e in drafts_to("amina.diallo@example.org")] == ["registration_confirmed", "registration_link"]


def test_without_a_visa_letter_nothing_about_one_is_sent(forum, client):
    statements = statements_of_post(client, forum, sessions=[forum.sessions["plenary"]])

    assert not any("visa_requests" in st or "DELETE" in st for st in statements), statements
    # The event, its programme (for the form), the registration, its draft; under the lock (PostgreSQL), the lock,
    # the count of places and seats, the choice. No guess read: the plenary has no seat limit.
    assert [st.split()[0] for st in statements] == ["SELECT", "SELECT", "INSERT", "INSERT", "SELECT", "SELECT",
                                                    "INSERT"], statements


def test_under_the_lock_only_the_seats_are_decided(forum, client):
    """The POST of an event with a programme, questions of its own and a visa letter: the registration, its
    visa request and its draft are written first; under the event's lock (PostgreSQL), one count of the
    event's places and the chosen sessions' seats, then the choices as decided."""
    s = forum.sessions
    statements = statements_of_post(
        client, forum, sessions=[s["plenary"], s["parks"]], needs_visa_letter="y", visa_passport_name="AMINA DIALLO",
        visa_nationality="SN", visa_date_of_birth="1985-04-02", visa_passport_number="A1234567",
        visa_passport_expiry=f"{forum.ends_at.year + 5}-01-31")

    assert len(statements) <= 11, statements
    assert not any("DELETE" in st for st in statements)
    assert sum("session_choices" in st for st in statements) == 3  # the guess, the count, the INSERT
    if db.engine.dialect.name == "postgresql":
        [locked_at] = [i for i, st in enumerate(statements) if "FOR NO KEY UPDATE" in st]
        before, under = statements[:locked_at], statements[locked_at + 1:]
        assert [st.split()[0] for st in under] == ["SELECT", "INSERT"], under
        assert "count(*)" in under[0] and "INSERT INTO session_choices" in under[1]
        for table in ("registrations", "visa_requests", "outbox_emails"):
            assert any(f"INSERT INTO {table}" in st for st in before), table


def test_registering_again_after_cancelling_queues_a_draft_with_the_new_sessions(forum, register):
    """The email is registered already (cancelled): the usual path, under the lock, brings the registration
    back; its draft says the sessions chosen this time."""
    s = forum.sessions
    register(forum, email="amina.diallo@example.org", sessions=[s["parks"]])
    amina = registration_of("amina.diallo@example.org")
    start_writing()
    registration_service.cancel(db.session, amina.id, actor=None, now=utcnow())
    db.session.commit()

    register(forum, email="amina.diallo@example.org", sessions=[s["plenary"], s["funds"]])

    assert registration_of("amina.diallo@example.org").status is RegistrationStatus.CONFIRMED
    first, _cancellation, again = drafts_to("amina.diallo@example.org")
    assert first.draft["sessions"] == [[s["parks"], "confirmed"]]
    assert again.kind == "registration_confirmed"
    assert again.draft == {"status": "confirmed", "language": "en",
                           "sessions": [[s["plenary"], "confirmed"], [s["funds"], "confirmed"]]}


@pytest.mark.parametrize("programme_sessions", [True, False], ids=["programme", "plain"])
def test_the_organisers_alert_queued_before_the_lock_says_the_status_decided_under_it(make_event, register,
                                                                                     programme_sessions):
    """An alert for each registration is written before the lock, on the page's count; when the lock says
    otherwise it is redone: one alert, saying waitlisted."""
    event = make_event(capacity=1, organiser_alerts=OrganiserAlerts.EACH)
    ids: list[int] = []
    if programme_sessions:
        start_writing()
        plenary = ProgrammeSession(event_id=event.id, title="Plenary", starts_at=event.starts_at,
                                   ends_at=event.starts_at + timedelta(hours=1))
        db.session.add(plenary)
        db.session.commit()
        ids = [plenary.id]
    register(event, email="first@example.org")

    db.session.rollback()
    begin_write(db.session)
    if not programme_sessions:
        assert db.session.get(type(event), event.id).programme == []  # known, as the page's query makes it known
    registration_service.register(
        db.session, event.id, _details("kofi@example.org"), now=utcnow(), confirmed_seen=0,
        attach=lambda registration, now: programme.choose_sessions(db.session, registration, ids, now=now))
    db.session.commit()

    alerts = [e for e in drafts_to(event.contact_email) if "Kofi" in e.subject]
    assert len(alerts) == 1
    assert "Kofi Mensah has registered for" in alerts[0].body_text
    assert ": on the waiting list." in alerts[0].body_text
