"""The attendee list's counts per status and country come from the changes the database writes for each
registration (migration 0030): they stay what counting the registrations gives, whatever changes them and however
often they are folded."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import Registration, RegistrationCountChange, RegistrationStatus, utcnow
from app.public.form_parts import public_event_for_form
from app.services.registration import registration_counts
from app.services.registration.attendees import facets_and_notes
from app.services.registration.registration import register
from tests.conftest import start_writing
from tests.integration.concurrency_support import details
from tests.integration.organiser_support import post_action


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def said(page) -> str:
    """The page's text with its line breaks and indents as one space each, as the reader sees it."""
    return " ".join(page.data.decode().split())


def counted(event_id: int) -> dict[tuple[RegistrationStatus, str], int]:
    """What counting the event's registrations themselves gives."""
    db.session.rollback()  # a fresh look, after what other sessions committed
    return {(status, country): n for status, country, n in db.session.execute(
        sa.select(Registration.status, Registration.country, sa.func.count()).where(Registration.event_id == event_id)
        .group_by(Registration.status, Registration.country))}


def on_the_list(event_id: int) -> dict[tuple[RegistrationStatus, str], int]:
    db.session.rollback()
    facets, _notes = facets_and_notes(db.session, event_id)
    db.session.rollback()
    return facets.by_status_and_country


def changes_kept(event_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationCountChange)
                             .where(RegistrationCountChange.event_id == event_id)) or 0


def test_the_list_counts_what_the_registrations_are_after_every_kind_of_change(organiser, make_event, register,
                                                                                 client):
    event, other = make_event(capacity=2), make_event()
    for email, country in (("amina@dakar.sn", "SN"), ("kofi@accra.gh", "GH"), ("wanjiru@nairobi.ke", "KE")):
        register(event, email=email, country=country)
    list_url = f"/admin/events/{event.id}/attendees"
    assert "2 confirmed of 2 · 1 on the waiting list · 0 cancelled" in said(client.get(list_url))

    # The organiser cancels Amina: Wanjiru moves up from the waiting list.
    amina = db.session.scalar(sa.select(Registration.id).where(Registration.email == "amina@dakar.sn"))
    page = post_action(client, list_url, f"{list_url}/{amina}/cancel", next=list_url)
    assert "2 confirmed of 2 · 0 on the waiting list · 1 cancelled" in said(page)

    # Changes made past the app count too: a country corrected, a registration moved to another event, one deleted.
    start_writing()
    db.session.execute(sa.update(Registration).where(Registration.email == "kofi@accra.gh").values(country="TG"))
    db.session.execute(sa.update(Registration).where(Registration.email == "wanjiru@nairobi.ke")
                       .values(event_id=other.id))
    db.session.execute(sa.delete(Registration).where(Registration.email == "amina@dakar.sn"))
    db.session.commit()

    assert on_the_list(event.id) == counted(event.id) == {(RegistrationStatus.CONFIRMED, "TG"): 1}
    assert on_the_list(other.id) == counted(other.id) == {(RegistrationStatus.CONFIRMED, "KE"): 1}
    assert "1 confirmed of 2 · 0 on the waiting list · 0 cancelled" in said(client.get(list_url))


def test_the_changes_are_folded_once_they_have_grown_and_the_counts_stay(organiser, make_event, register, client,
                                                                          monkeypatch):
    monkeypatch.setattr(registration_counts, "FOLD_AFTER", 5)
    event = make_event(capacity=4)
    for n in range(8):
        register(event, email=f"person{n}@example.org", country="KE" if n % 2 else "VN")
    assert changes_kept(event.id) >= 8  # one at least for each registration

    page = client.get(f"/admin/events/{event.id}/attendees")

    assert "4 confirmed of 4 · 4 on the waiting list · 0 cancelled" in said(page)
    assert changes_kept(event.id) <= 4  # one per status and country
    assert on_the_list(event.id) == counted(event.id)
    assert sum(on_the_list(event.id).values()) == 8


def test_folding_while_people_register_loses_no_one(app, make_event, monkeypatch):
    """Registrations committed while the changes are folded, again and again, are all counted."""
    monkeypatch.setattr(registration_counts, "FOLD_AFTER", 0)
    event = make_event(capacity=10)
    event_id, slug = event.id, event.slug
    db.session.remove()
    done = threading.Event()
    errors: list[BaseException] = []

    def registering(emails: list[str]) -> None:
        with app.app_context():
            try:
                for email in emails:
                    begin_write(db.session)
                    page = public_event_for_form(db.session, slug)  # as the event page reads it
                    assert page is not None
                    register(db.session, event_id, details(email), now=utcnow(), confirmed_seen=page.confirmed)
                    db.session.commit()
            except BaseException as error:  # reported below, failing the test
                errors.append(error)

    def folding() -> None:
        with app.app_context():
            while not done.is_set():
                registration_counts.fold(db.engine, event_id)

    folder = threading.Thread(target=folding)
    folder.start()
    writers = [threading.Thread(target=registering, args=([f"w{w}.p{n}@example.org" for n in range(10)],))
               for w in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    done.set()
    folder.join(30)

    assert errors == []
    assert on_the_list(event_id) == counted(event_id) == {(RegistrationStatus.CONFIRMED, "KE"): 10,
                                                          (RegistrationStatus.WAITLISTED, "KE"): 30}

