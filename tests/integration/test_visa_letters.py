"""Visa invitation letters: asked for at registration, approved by the event's organisers, downloaded
from the personal link, verifiable, and the passport data deleted after the event."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Registration, VisaRequest, VisaRequestStatus, utcnow
from tests.conftest import csrf_token, link_in, text_of
from tests.integration.documents_support import (
    pdf_pages,
    pdf_text,
    registration_by_email,
    verification_code_in,
    visa_fields,
)
from tests.integration.organiser_support import add_manager, post_action


def _documents(event) -> str:
    return f"/admin/events/{event.id}/documents"


def _visa_request() -> VisaRequest:
    db.session.expire_all()
    return db.session.scalar(sa.select(VisaRequest))


def test_a_participant_asks_for_a_letter_gets_it_approved_and_downloads_it(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event(title="International Training Workshop on Science City Governance")
    done = register(event, **visa_fields())
    assert b"You are registered" in done.data
    request = _visa_request()
    assert request.status is VisaRequestStatus.REQUESTED
    assert request.passport_number == "A1234567"  # spaces removed, upper case
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    page = client.get(link)
    assert b"Visa invitation letter: <strong>requested</strong>" in page.data
    assert client.get(link + "/visa-letter.pdf").status_code == 404  # not before approval

    make_user()
    auth.login()
    documents = client.get(_documents(event))
    assert b"A1234567" in documents.data and b"DIALLO AMINA" in documents.data
    approved = post_action(client, _documents(event), f"{_documents(event)}/visa/{request.id}/approve")
    assert b"is approved" in approved.data
    deliver_emails()

    email = mailbox.to("amina.diallo@example.org")[-1]
    assert email["Subject"] == f"Your visa invitation letter is ready: {event.title}"
    assert "Download it from your registration page" in text_of(email)
    page = client.get(link_in(email))
    assert b"Download the visa letter (PDF)" in page.data
    letter = client.get(link + "/visa-letter.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    assert len(pdf_pages(letter.data)) == 1
    text = pdf_text(letter.data)
    reference = registration_by_email("amina.diallo@example.org").reference
    for expected in ("World Technopolis Association (WTA)", f"WTA/VL/{reference}", "DIALLO AMINA", "Senegal",
                     "17 May 1984", "A1234567", event.title, "WTA Secretariat, Daejeon, South Korea", "Secretary General"):
        assert expected in text, expected
    code = verification_code_in(text)
    assert f"http://localhost/verify/{code}" in text

    verified = client.get(f"/verify/{code}")
    assert verified.status_code == 200
    assert b"Genuine" in verified.data and b"Amina Diallo" in verified.data
    assert b"A1234567" not in verified.data and b"1984" not in verified.data  # name, event and dates only


def test_passport_fields_are_required_only_when_a_letter_is_asked_for(make_event, register):
    event = make_event()
    refused = register(event, needs_visa_letter="y")
    assert refused.status_code == 422
    for message in (b"Please enter your name exactly as in your passport.", b"Please choose your nationality.",
                    b"Please enter your date of birth.", b"Please enter your passport number.",
                    b"Please enter your passport&#39;s expiry date."):
        assert message in refused.data, message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0

    # Typed, then changed their mind: nothing of it is kept.
    done = register(event, **visa_fields(needs_visa_letter=None, visa_date_of_birth="not a date"))
    assert b"You are registered" in done.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VisaRequest)) == 0


def test_impossible_passport_details_are_refused_next_to_the_field(make_event, register):
    event = make_event()
    event_end = event.local(event.ends_at).date()
    refused = register(event, **visa_fields(
        visa_passport_expiry=event_end.isoformat(), visa_date_of_birth="2020-01-01",
        visa_passport_number="12-3", visa_nationality="XX",
    ))
    assert refused.status_code == 422
    assert b"Your passport must still be valid after the event ends" in refused.data
    assert b"participants must be adults" in refused.data
    assert b"A passport number has 5 to 20 letters and digits." in refused.data
    assert b"Please choose a country from the list." in refused.data
    assert b"Write the date as YYYY-MM-DD" in register(event, **visa_fields(visa_date_of_birth="17/05/1984")).data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_passport_data_is_shown_only_to_the_events_organisers(make_event, make_user, auth, register, client):
    event = make_event()
    register(event, **visa_fields())
    request = _visa_request()
    make_user()
    other = make_user("other@wtanet.org", admin=False, name="Other organiser")
    auth.login("other@wtanet.org")
    for url in (_documents(event), f"{_documents(event)}/visa.csv", f"{_documents(event)}/visa.xlsx",
                f"{_documents(event)}/visa/{request.id}/letter.pdf",
                f"{_documents(event)}/passport-data/delete", f"{_documents(event)}/visa/approve-all"):
        assert client.get(url).status_code == 404, url
    page = client.get("/admin/")
    assert client.post(f"{_documents(event)}/visa/{request.id}/approve",
                       data={"csrf_token": csrf_token(page)}).status_code == 404
    assert _visa_request().status is VisaRequestStatus.REQUESTED

    # Made a manager of the event, they see it; the attendee CSV never carries passport data.
    add_manager(event, other)
    assert b"A1234567" in client.get(_documents(event)).data
    attendee_csv = client.get(f"/admin/events/{event.id}/attendees.csv").data.decode("utf-8-sig")
    assert "A1234567" not in attendee_csv and "DIALLO AMINA" not in attendee_csv
    visa_csv = client.get(f"{_documents(event)}/visa.csv").data.decode("utf-8-sig")
    assert "A1234567" in visa_csv and "DIALLO AMINA" in visa_csv and "1984-05-17" in visa_csv


def test_approving_all_pending_letters_asks_first(make_event, make_user, auth, register, client, deliver_emails, mailbox):
    event = make_event()
    for n in range(3):
        register(event, **visa_fields(), email=f"person{n}@example.org")
    register(event, email="novisa@example.org")
    make_user()
    auth.login()
    deliver_emails()
    mailbox.messages.clear()

    confirm = client.get(f"{_documents(event)}/visa/approve-all")
    assert b"3 visa letters will be approved" in confirm.data
    assert all(r.status is VisaRequestStatus.REQUESTED for r in db.session.scalars(sa.select(VisaRequest)))
    done = client.post(f"{_documents(event)}/visa/approve-all", data={"csrf_token": csrf_token(confirm)},
                       follow_redirects=True)
    assert b"3 visa letters approved" in done.data
    db.session.expire_all()
    assert all(r.status is VisaRequestStatus.APPROVED for r in db.session.scalars(sa.select(VisaRequest)))
    deliver_emails()
    assert sorted(m["To"] for m in mailbox.messages) == [f"person{n}@example.org" for n in range(3)]
    again = client.get(f"{_documents(event)}/visa/approve-all")
    assert b"No request is waiting for approval." in again.data


def test_passport_data_is_deleted_after_the_event_and_the_letter_stays_verifiable(
    make_event, make_user, auth, register, client, runner
):
    event = make_event()
    register(event, **visa_fields())
    make_user()
    auth.login()
    request = _visa_request()
    post_action(client, _documents(event), f"{_documents(event)}/visa/{request.id}/approve")
    code = _visa_request().verification_code

    before = client.get(f"{_documents(event)}/passport-data/delete")
    assert b"can be deleted once the event has ended" in before.data
    refused = client.post(f"{_documents(event)}/passport-data/delete", data={"csrf_token": csrf_token(before)},
                          follow_redirects=True)
    assert b"only be deleted once the event has ended" in refused.data
    assert _visa_request().passport_number == "A1234567"

    _move_to_the_past(event)
    confirm = client.get(f"{_documents(event)}/passport-data/delete")
    assert b"will be deleted for good" in confirm.data
    done = client.post(f"{_documents(event)}/passport-data/delete", data={"csrf_token": csrf_token(confirm)},
                       follow_redirects=True)
    assert b"The passport data of 1 request is deleted" in done.data
    assert b"A1234567" not in done.data and b"Passport data deleted on" in done.data
    request = _visa_request()
    assert (request.passport_number, request.passport_name, request.date_of_birth) == (None, None, None)
    assert b"Genuine" in client.get(f"/verify/{code}").data
    assert client.get(f"{_documents(event)}/visa/{request.id}/letter.pdf").status_code == 404


def test_the_purge_command_deletes_passport_data_of_events_that_ended(make_event, register, runner):
    ended = make_event()
    upcoming = make_event()
    register(ended, **visa_fields())
    register(upcoming, **visa_fields())
    _move_to_the_past(ended)

    result = runner.invoke(args=["documents", "purge-passport-data",
                                 "--ended-before", (utcnow() + timedelta(days=1)).strftime("%Y-%m-%d")])
    assert result.exit_code == 0, result.output
    assert f"{ended.title}: deleted the passport data of 1 request." in result.output
    db.session.expire_all()
    numbers = {r.registration.event_id: r.passport_number for r in db.session.scalars(sa.select(VisaRequest))}
    assert numbers == {ended.id: None, upcoming.id: "A1234567"}
    db.session.commit()
    again = runner.invoke(args=["documents", "purge-passport-data", "--ended-before", "2020-01-01"])
    assert "No passport data to delete." in again.output


def _move_to_the_past(event) -> None:
    from tests.conftest import start_writing

    start_writing()
    stored = db.session.get(type(event), event.id)
    now = utcnow()
    stored.registration_opens_at, stored.registration_closes_at = now - timedelta(days=60), now - timedelta(days=30)
    stored.starts_at, stored.ends_at = now - timedelta(days=10), now - timedelta(days=6)
    db.session.commit()


def test_a_letter_is_withdrawn_when_the_registration_is_cancelled(
    make_event, make_user, auth, register, client, deliver_emails, mailbox
):
    event = make_event()
    register(event, **visa_fields())
    make_user()
    auth.login()
    post_action(client, _documents(event), f"{_documents(event)}/visa/{_visa_request().id}/approve")
    code = _visa_request().verification_code
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[-1])
    assert client.get(link + "/visa-letter.pdf").status_code == 200

    cancel_page = client.get(link + "/cancel")
    client.post(link + "/cancel", data={"csrf_token": csrf_token(cancel_page)})

    assert b"Visa invitation letter: withdrawn" in client.get(link).data
    assert client.get(link + "/visa-letter.pdf").status_code == 404
    verified = client.get(f"/verify/{code}")
    assert b"Withdrawn." in verified.data and b"Genuine." not in verified.data


def test_two_organisers_approving_at_once_send_one_email_each(app, make_event, make_user, register):
    import threading

    from app.database import begin_write
    from app.models import OutboxEmail, User
    from app.services.documents import visa_letters

    event = make_event()
    for n in range(5):
        register(event, **visa_fields(), email=f"person{n}@example.org")
    organiser_id, event_id = make_user().id, event.id  # read here: the threads must not touch this session
    db.session.commit()
    start, read = threading.Barrier(2), threading.Barrier(2)
    on_postgres = db.engine.dialect.name == "postgresql"
    errors = []

    def approve_all() -> None:
        with app.app_context():
            try:
                start.wait()
                begin_write(db.session)
                shown = visa_letters.requests_of(db.session, event_id)  # the page read them before the button was pressed
                if on_postgres:  # both have read them as pending before either approves (SQLite: one writer)
                    read.wait()
                visa_letters.approve(db.session, event_id, None, actor=db.session.get(User, organiser_id), now=utcnow())
                db.session.commit()
                assert len(shown) == 5
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    letters = db.session.scalars(sa.select(OutboxEmail.to_address).where(OutboxEmail.kind == "visa_letter_ready")).all()
    assert sorted(letters) == [f"person{n}@example.org" for n in range(5)]


def test_the_passport_fields_follow_the_visa_letter_box_on_a_form_with_every_part(make_event, client):
    """Sessions, own questions and travel support on the form: the passport fields still come straight
    after "I need a visa invitation letter", not at the bottom of the form."""
    from datetime import timedelta

    from app.models import ProgrammeSession, Question, QuestionKind, RegistrationMode
    from tests.conftest import start_writing

    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    start_writing()
    db.session.add(ProgrammeSession(event_id=event.id, title="Site visit", starts_at=event.starts_at,
                                    ends_at=event.starts_at + timedelta(hours=2), seat_limit=20))
    db.session.add(Question(event_id=event.id, position=1, kind=QuestionKind.LONG_TEXT, label="Your motivation"))
    db.session.commit()

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)

    box, details = page.index('name="needs_visa_letter"'), page.index('id="visa-details"')
    between = page[box:details]
    assert box < details and "<input" not in between.split(">", 1)[1] and "<select" not in between
    for later in ('name="sessions"', "Your motivation", 'name="travel_currency"', 'name="consent"'):
        assert details < page.index(later), later
