"""Event titles inside sentences: "applying for the 24th International ...", never "applying for 24th ...";
and an edition's copied texts say its own number and year."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Event,
    EventKind,
    EventStatus,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    Series,
    User,
    utcnow,
)
from app.services.events.series import ordinal
from app.services.formatting import fill_placeholders, title_in_sentence
from app.services.mail import notifications, organiser_alerts
from app.services.mail.email_kinds import KINDS, WITHOUT_PERSONAL_LINK
from tests.conftest import html_of, start_writing, text_of
from tests.integration.organiser_support import add_manager, add_registrations, post_action

# A preposition followed straight by an ordinal: "for 24th", "at 9th", "of 3rd".
BARE_ORDINAL = re.compile(
    r"\b(for|at|of|in|to|from|on|about|with|during|after|before|into)\s+(\d+(st|nd|rd|th)|first|second|third)\b",
    re.IGNORECASE)


@pytest.mark.parametrize(("title", "in_sentence"), [
    ("24th International Training Workshop on Science Park Management 2027",
     "the 24th International Training Workshop on Science Park Management 2027"),
    ("9th Daejeon Global Innovation Forum 2026", "the 9th Daejeon Global Innovation Forum 2026"),
    ("International Workshop on Technology Business Incubation", "the International Workshop on Technology "
                                                                 "Business Incubation"),
    ("Daejeon Global Innovation Forum 2026", "the Daejeon Global Innovation Forum 2026"),
    ("The Science City Summit", "The Science City Summit"),
    ("Innovate Daejeon 2026", "Innovate Daejeon 2026"),  # a name of its own: no article
])
def test_a_title_reads_as_part_of_a_sentence(title, in_sentence):
    assert title_in_sentence(title) == in_sentence


def test_placeholders_are_filled_and_other_braces_left_alone():
    values = {"edition": "9th", "year": "2026"}
    assert fill_placeholders("The {edition} edition, {year}. {other} {", values) == "The 9th edition, 2026. {other} {"
    assert fill_placeholders("The {edition} edition", {"edition": "", "year": "2026"}) == "The {edition} edition"


@pytest.fixture
def edition(app, make_event):
    """The 24th International Training Workshop: a yearly series since 2004, this edition held in 2027."""
    start_writing()
    series = Series(name="International Training Workshop on Science Park Management", slug="itw", code="ITW",
                    kind=EventKind.INTERNATIONAL_WORKSHOP, first_year=2004, interval_years=1)
    db.session.add(series)
    db.session.commit()
    start = datetime(2027, 11, 1, 0, 0, tzinfo=UTC)
    event = make_event(title="", series_id=series.id, series_year=2027, starts_at=start,
                       ends_at=start + timedelta(days=4), registration_closes_at=start - timedelta(days=20))
    assert event.title == "24th International Training Workshop on Science Park Management 2027"
    return event


def every_email_kind() -> set[str]:
    return set(KINDS)


def test_every_email_kind_knows_its_subject_and_body():
    """The participants' emails (editable, with the personal link), and the organisers' (alerts, the digest)."""
    assert set(notifications.SUBJECTS) == every_email_kind()
    assert all(kind.subject and ("{personal_link}" in kind.body) is (name not in WITHOUT_PERSONAL_LINK)
               for name, kind in KINDS.items())
    assert not set(organiser_alerts.SUBJECTS) & every_email_kind()


def test_no_email_the_app_sends_puts_an_ordinal_straight_after_a_preposition(edition, deliver_emails, mailbox):
    [registration] = add_registrations(edition, 1, status=RegistrationStatus.CONFIRMED)
    start_writing()
    talk = ProgrammeSession(event_id=edition.id, title="Site visit: Daedeok Innopolis", room="Bus 1",
                            starts_at=edition.starts_at + timedelta(hours=2), ends_at=edition.starts_at + timedelta(hours=5))
    db.session.add(talk)
    db.session.flush()
    registration = db.session.get(Registration, registration.id)
    # What each kind's sender adds to the registration and the event (see the callers of notifications.queue).
    extras = {
        "registration_cancelled": [{"cancelled_by_organiser": True}, {"cancelled_by_organiser": False}],
        "application_withdrawn": [{"was_accepted": True}, {"was_accepted": False}],
        "session_removed": [{"removed_session": talk}],
        "session_seat_confirmed": [{"programme_session": talk}],
        "certificate_issued": [{"certificate": SimpleNamespace(verification_code="CERT-7KQ3"),
                                "verify_url": "http://localhost/verify/CERT-7KQ3"}],
        "event_cancelled": [{"reason": "A typhoon."}],
        "event_changed": [{"dates_changed": True, "place_changed": True, "new_dates": "4–8 Nov 2026",
                           "previous_dates": "3–7 Nov 2026", "new_place": "Hall", "previous_place": ""}],
    }
    sent = 0
    for kind in sorted(notifications.SUBJECTS):
        for extra in extras.get(kind, [{}]):
            notifications.queue(db.session, registration, kind, **extra)
            sent += 1
    organiser_alerts.place_given_up(db.session, registration, withdrawn=False)  # to the contact address
    sent += 1
    db.session.commit()

    deliver_emails()

    assert len(mailbox.messages) == sent
    for message in mailbox.messages:
        html = re.sub(r"<[^>]+>", " ", html_of(message))
        for text in (message["Subject"], text_of(message), " ".join(html.split())):
            assert not BARE_ORDINAL.search(text), (message["Subject"], BARE_ORDINAL.search(text).group(0))
    confirmed = next(m for m in mailbox.messages if m["Subject"].startswith("Your place is confirmed"))
    assert ("Your place at the 24th International Training Workshop on Science Park Management 2027 is confirmed"
            in text_of(confirmed))


def test_pages_that_name_the_event_in_a_sentence_use_the_article(edition, register, client):
    page = register(edition, email="lan@example.org").get_data(as_text=True)

    assert "Your place at <strong>the 24th International Training Workshop" in page
    assert not BARE_ORDINAL.search(re.sub(r"<[^>]+>", "", page))


def test_a_copied_edition_says_its_own_number_and_year_in_its_summary(make_user, auth, client, make_event):
    """The summary says "The {edition} edition ...": the copy for the next edition reads right without editing."""
    make_user("admin@wtanet.org", admin=True)
    auth.login("admin@wtanet.org")
    start_writing()
    series = Series(name="Daejeon Global Innovation Forum", slug="dgif", code="DGIF", kind=EventKind.FORUM,
                    first_year=2014, interval_years=2)
    db.session.add(series)
    db.session.commit()
    latest = utcnow().year + utcnow().year % 2  # this year's edition, or next year's in an odd year
    number = (latest - 2014) // 2 + 1
    start = datetime(latest, 10, 20, 0, 0, tzinfo=UTC)
    make_event(kind=EventKind.FORUM, title="", slug="dgif-latest", code="DGIFXX", series_id=series.id,
               series_year=latest, starts_at=start, ends_at=start + timedelta(days=2),
               registration_opens_at=start - timedelta(days=100), registration_closes_at=start - timedelta(days=7),
               summary="The {edition} edition of the forum, in October {year}.",
               description="Since 2014, the {edition} time.")
    assert (f"The {ordinal(number)} edition of the forum, in October {latest}."
            in client.get("/events/dgif-latest").get_data(as_text=True))

    post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")
    db.session.expire_all()
    copy = db.session.scalar(sa.select(Event).where(Event.series_id == series.id, Event.series_year == latest + 2))
    assert copy.summary == "The {edition} edition of the forum, in October {year}."  # copied as written
    post_action(client, f"/admin/events/{copy.id}/edit", f"/admin/events/{copy.id}/publish")
    db.session.expire_all()
    assert db.session.get(Event, copy.id).status is EventStatus.PUBLISHED

    page = client.get(f"/events/{copy.slug}").get_data(as_text=True)
    assert f"The {ordinal(number + 1)} edition of the forum, in October {latest + 2}." in page
    assert f"Since 2014, the {ordinal(number + 1)} time." in page and "{edition}" not in page
    listing = client.get("/").get_data(as_text=True)
    assert f"The {ordinal(number + 1)} edition of the forum" in listing


def test_the_event_form_says_which_placeholders_it_fills(make_user, auth, client):
    make_user()
    auth.login()
    page = client.get("/admin/events/new").get_data(as_text=True)
    assert "{edition}" in page and "{year}" in page


def test_an_edition_whose_texts_still_name_another_edition_is_flagged_on_its_form(make_user, auth, client,
                                                                                   make_event):
    """A copy made before {edition} existed still says "The 8th edition": the form says so before publishing."""
    make_user()
    auth.login()
    start_writing()
    series = Series(name="Daejeon Global Innovation Forum", slug="dgif", code="DGIF", kind=EventKind.FORUM,
                    first_year=2014, interval_years=2)
    db.session.add(series)
    db.session.commit()
    start = datetime(2030, 10, 22, 0, 0, tzinfo=UTC)  # the 9th edition
    stale = make_event(kind=EventKind.FORUM, title="", slug="dgif-2030", code="DGIF30", series_id=series.id,
                       series_year=2030, starts_at=start, ends_at=start + timedelta(days=2),
                       status=EventStatus.DRAFT, summary="The 8th edition of the forum, for the 21st century.")
    add_manager(stale, db.session.scalar(sa.select(User)))

    page = client.get(f"/admin/events/{stale.id}/edit").get_data(as_text=True)
    assert 'id="stale-ordinal"' in page and "says “8th”, but this is the\n  9th edition" in page
    assert "21st" not in page[page.index('id="stale-ordinal"'):page.index("</div>", page.index('id="stale-ordinal"'))]

    start_writing()
    db.session.get(Event, stale.id).summary = "The {edition} edition of the forum."
    db.session.commit()
    assert 'id="stale-ordinal"' not in client.get(f"/admin/events/{stale.id}/edit").get_data(as_text=True)
