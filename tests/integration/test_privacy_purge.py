"""Retention: `flask privacy purge` anonymises the registrations of events past their retention period. The
person's data goes (names, contact details, needs, answers, files on disk, passport data, the emails to them);
what the statistics count stays, so every figure is the same before and after. The dry run changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, OutboxEmail, Registration, Upload, VisaRequest, utcnow
from tests.conftest import link_in, start_writing
from tests.integration.documents_support import attend, registration_by_email, visa_fields
from tests.integration.organiser_support import add_registrations
from tests.integration.privacy_support import figures, move_to_the_past, purge, registration_by_reference
from tests.integration.questions_support import PDF, a_file, add_question, upload_folder  # noqa: F401


def _an_old_workshop(make_event, register, deliver_emails, mailbox, *, ended_days_ago=800):
    """A workshop two years over: Amina (visa letter, needs, answers, a file), Min-jun, 6 others; attendance."""
    event = make_event()
    motivation = add_question(event, "long_text", "Why do you want to take part?")
    slides = add_question(event, "file", "Case presentation")
    register(event, **visa_fields(), dietary_needs="Vegetarian", **{motivation.field_name: "To start a park in Thiès.",
                                                                   slides.field_name: a_file(PDF, "my-park.pdf")})
    register(event, email="kim@example.org", given_name="Min-jun", family_name="Kim", country="KR",
             organisation_type="university")
    add_registrations(event, 6, country="KE")
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    event = move_to_the_past(event, ended_days_ago=ended_days_ago)
    for email, days in (("amina.diallo@example.org", 3), ("kim@example.org", 5)):
        attend(event, registration_by_email(email), days)
    return event, link


def test_the_purge_deletes_the_person_and_keeps_the_figures(make_event, register, deliver_emails, mailbox, client,
                                                            runner, upload_folder, make_user, auth):  # noqa: F811
    event, link = _an_old_workshop(make_event, register, deliver_emails, mailbox)
    make_user()
    auth.login()
    statistics_before = _statistics_tables(client, event)
    recent = make_event(title="A workshop that ended last month")
    register(recent, email="recent@example.org")
    move_to_the_past(recent, ended_days_ago=30)
    amina = registration_by_email("amina.diallo@example.org")
    reference = amina.reference
    stored_file = upload_folder / db.session.scalar(sa.select(Upload.stored_name))
    assert stored_file.is_file()
    before = figures(event)
    assert before["countries"] == {"SN": 1, "KR": 1, "KE": 6}
    assert sum(before["attendance"].values()) == 8

    output = purge(runner)

    assert f"anonymised {reference} of {event.title} (past retention)" in output
    assert "8 registrations anonymised" in output
    assert "Amina" not in output  # the command's output may be kept in a log: references only
    amina = registration_by_reference(reference)
    assert (amina.given_name, amina.family_name, amina.title, amina.phone, amina.organisation, amina.position,
            amina.dietary_needs) == ("Anonymised", "", None, "", "", "", "")
    assert amina.email.endswith("@anonymised.invalid") and amina.anonymised_at is not None
    assert (amina.country, amina.organisation_type.value, amina.status.value) == ("SN", "science_park", "confirmed")
    mine = [Answer.registration_id == amina.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer).where(*mine)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0
    assert not stored_file.exists()  # the file itself is gone from the disk
    visa = db.session.scalar(sa.select(VisaRequest).where(VisaRequest.registration_id == amina.id))
    assert (visa.passport_name, visa.passport_number, visa.date_of_birth, visa.nationality) == (None, None, None, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.registration_id == amina.id)) == 0
    assert figures(event) == before  # countries, types of organisation, statuses, attendance per day
    assert _statistics_tables(client, event) == statistics_before  # the statistics page: every table the same
    assert registration_by_email("recent@example.org").given_name == "Amina"  # within its retention: untouched
    assert client.get(link).status_code == 410  # the personal link shows that the data is gone
    assert "has been deleted" in client.get(link).get_data(as_text=True)


def test_the_dry_run_lists_what_would_go_and_changes_nothing(make_event, register, deliver_emails, mailbox, runner,
                                                             upload_folder):  # noqa: F811
    event, _ = _an_old_workshop(make_event, register, deliver_emails, mailbox)
    reference = registration_by_email("kim@example.org").reference

    output = purge(runner, "--dry-run")

    assert f"would anonymise {reference} of {event.title} (past retention)" in output
    assert "8 registrations anonymise;" in output
    assert registration_by_email("kim@example.org").family_name == "Kim"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.anonymised_at.is_not(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 1
    assert all(path.is_file() for path in upload_folder.iterdir() if path.is_file())


def test_an_event_keeps_its_data_for_its_own_retention_period(make_event, register, deliver_emails, mailbox, runner,
                                                              upload_folder):  # noqa: F811
    event, _ = _an_old_workshop(make_event, register, deliver_emails, mailbox, ended_days_ago=400)  # 13 months
    assert "0 registrations anonymised" in purge(runner)  # the default: 24 months

    start_writing()
    db.session.get(type(event), event.id).retention_months = 12
    db.session.commit()
    assert "8 registrations anonymised" in purge(runner)
    assert registration_by_email("kim@example.org") is None


def test_old_email_bodies_go_after_a_shorter_period(make_event, register, deliver_emails, runner, app):
    event = make_event()
    register(event)
    register(event, email="kim@example.org")
    deliver_emails()
    start_writing()
    old = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.to_address == "amina.diallo@example.org"))
    old.created_at = utcnow() - timedelta(days=app.config["OUTBOX_BODY_DAYS"] + 1)
    db.session.commit()

    assert "1 old email body emptied" in purge(runner)
    bodies = {e.to_address: (e.subject, e.body_text, e.body_html) for e in db.session.scalars(sa.select(OutboxEmail))}
    subject, text, html = bodies["amina.diallo@example.org"]
    assert subject and text == html == ""  # the log still says what was sent, not the personal link in it
    assert "/r/" in bodies["kim@example.org"][1]


def test_uploaded_files_are_readable_by_the_app_user_only(make_event, register, upload_folder):  # noqa: F811
    event = make_event()
    slides = add_question(event, "file", "Case presentation")
    register(event, **{slides.field_name: a_file(PDF)})

    stored = Path(upload_folder) / db.session.scalar(sa.select(Upload.stored_name))
    assert stored.stat().st_mode & 0o777 == 0o600
    assert upload_folder.stat().st_mode & 0o777 == 0o700


def _statistics_tables(client, event) -> list[str]:
    """Every table of the event's statistics page (the figures under each chart), as the organiser reads them."""
    page = client.get(f"/admin/events/{event.id}/statistics")
    assert page.status_code == 200
    tables = re.findall(r"<table.*?</table>", page.get_data(as_text=True), re.S)
    assert tables
    return tables
