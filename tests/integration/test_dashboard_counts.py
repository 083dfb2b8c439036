"""The dashboard shows the numbers that mean something for each kind of event: a selection's applications
(applied, accepted, reserve list, declined, withdrawn) and a first-come event's places (confirmed, waiting,
cancelled)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Application, ApplicationStatus, RegistrationMode, RegistrationStatus, utcnow
from tests.conftest import start_writing
from tests.integration.organiser_support import add_registrations, row_cells


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def add_applications(event, count: int, status: ApplicationStatus) -> None:
    """Applicants in the state `status`; an accepted one holds a place (registration confirmed)."""
    registration_status = RegistrationStatus.CONFIRMED if status is ApplicationStatus.ACCEPTED else (
        RegistrationStatus.CANCELLED if status is ApplicationStatus.WITHDRAWN else RegistrationStatus.APPLIED)
    registrations = add_registrations(event, count, status=registration_status)
    start_writing()
    db.session.add_all(Application(registration_id=r.id, status=status, submitted_at=utcnow()) for r in registrations)
    db.session.commit()


def application_workshop(make_event):
    """A selection workshop with every count in play: 40 places all taken, 9 on the reserve list, 4 declined."""
    workshop = make_event(title="International Training Workshop with selection", capacity=40,
                          registration_mode=RegistrationMode.APPLICATION)
    add_applications(workshop, 40, ApplicationStatus.ACCEPTED)
    add_applications(workshop, 9, ApplicationStatus.WAITLISTED)
    add_applications(workshop, 4, ApplicationStatus.DECLINED)
    add_applications(workshop, 5, ApplicationStatus.SUBMITTED)
    add_applications(workshop, 2, ApplicationStatus.UNDER_REVIEW)
    add_applications(workshop, 1, ApplicationStatus.WITHDRAWN)
    return workshop


def test_an_application_workshop_shows_its_selection_and_a_forum_its_waiting_list(organiser, make_event, client):
    application_workshop(make_event)
    forum = make_event(title="Forum first come first served", capacity=10)
    add_registrations(forum, 10)
    add_registrations(forum, 3, status=RegistrationStatus.WAITLISTED)
    add_registrations(forum, 2, status=RegistrationStatus.CANCELLED)

    page = client.get("/admin/").get_data(as_text=True)

    assert row_cells(page, "Workshop with selection")[3:7] == [
        "40", "40", "Applied / under review 7 Accepted 40 Reserve list 9 Declined 4 Withdrawn 1", "100%"]
    assert row_cells(page, "Forum first come")[3:7] == ["10", "10", "Confirmed 10 Waiting 3 Cancelled 2", "100%"]


def test_the_attendee_list_of_an_application_workshop_counts_the_selection(organiser, make_event, client):
    workshop = application_workshop(make_event)

    page = client.get(f"/admin/events/{workshop.id}/attendees").get_data(as_text=True)

    assert "Reserve list: 9" in page and "Declined: 4" in page
    assert "0 on the waiting list" not in page


def test_the_counts_of_every_event_come_in_one_query(organiser, make_event, client, count_queries):
    application_workshop(make_event)
    add_registrations(make_event(), 3)
    client.get("/admin/")  # the first request warms caches that later ones do not need
    few = count_queries("/admin/")
    for _ in range(3):
        add_registrations(make_event(), 3, status=RegistrationStatus.WAITLISTED)
        add_applications(make_event(registration_mode=RegistrationMode.APPLICATION), 2, ApplicationStatus.DECLINED)

    assert count_queries("/admin/") == few


def test_the_cancel_page_counts_what_is_kept_in_the_events_own_terms(organiser, make_event, client):
    workshop = application_workshop(make_event)

    page = " ".join(client.get(f"/admin/events/{workshop.id}/cancel").get_data(as_text=True).split())

    assert ("(applied / under review: 7, accepted: 40, reserve list: 9, declined: 4, withdrawn: 1)" in page
            and "waitlisted" not in page)
