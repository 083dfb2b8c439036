"""Helpers for the organiser tests: the event form as a browser sends it, managers, quick registrations."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, OrganisationType, Registration, RegistrationStatus, TeamMember, TeamRole, User, utcnow
from app.organiser.forms import MOMENTS, EventForm
from tests.conftest import csrf_token, start_writing

_numbers = itertools.count(1)


def event_form(**overrides) -> dict:
    """A valid new-event form; times are wall-clock times at the venue (the "T" of ISO 8601 is accepted)."""
    data = {
        "kind": "international_workshop",
        "title": "International Training Workshop on STP Development",
        "slug": "",
        "code": "",
        "summary": "Managers of science parks learn from Daejeon.",
        "description": "Lectures and site visits.",
        "venue": "WTA Secretariat",
        "city": "Daejeon",
        "country": "KR",
        "timezone": "Asia/Seoul",
        "starts_at": "2030-11-03T09:00",
        "ends_at": "2030-11-07T18:00",
        "registration_opens_at": "2030-06-01T09:00",
        "registration_closes_at": "2030-10-15T18:00",
        "capacity": "40",
        "waiting_list_enabled": "y",
        "contact_email": "training@wtanet.org",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_form(event: Event, **changes) -> dict:
    """The edit form as the browser sends it back, with `changes` typed in (times at the venue)."""
    db.session.expire_all()
    values = EventForm.values_of(db.session.get(Event, event.id))
    data = {name: value for name, value in values.items() if value is not None and not isinstance(value, bool)}
    data.update({name: values[name].strftime("%Y-%m-%dT%H:%M") for name in MOMENTS})
    if values["waiting_list_enabled"]:
        data["waiting_list_enabled"] = "y"
    data.update(changes)
    return data


def post_form(client, url: str, data: dict, **kwargs):
    page = client.get(url)
    return client.post(url, data={**data, "csrf_token": csrf_token(page)}, **kwargs)


def post_action(client, page_url: str, action_url: str, **data):
    """Press a button on a page: the POST carries that page's CSRF token."""
    page = client.get(page_url)
    return client.post(action_url, data={**data, "csrf_token": csrf_token(page)}, follow_redirects=True)


def add_manager(event: Event, user: User) -> None:
    add_to_team(event, user, TeamRole.MANAGER)


def add_to_team(event: Event, user: User, role: TeamRole) -> None:
    start_writing()
    db.session.add(TeamMember(event_id=event.id, user_id=user.id, role=role))
    db.session.commit()


def add_registrations(event: Event, count: int, *, status=RegistrationStatus.CONFIRMED, **fields) -> list[Registration]:
    """Registrations written straight to the database: fast, and no emails (lists, pages, CSV)."""
    start_writing()
    now = utcnow()
    created = []
    for i in range(count):
        n = next(_numbers)
        values = dict(
            event_id=event.id,
            reference=f"{event.code}-T{n:04d}",
            status=status,
            given_name=f"Given{n:04d}",
            family_name=f"Family{n:04d}",
            email=f"person{n}@example.org",
            organisation="Test Science Park",
            organisation_type=OrganisationType.SCIENCE_PARK,
            country="KE",
            consent_at=now,
            created_at=now + timedelta(seconds=i),
            waitlisted_at=now + timedelta(seconds=i) if status is RegistrationStatus.WAITLISTED else None,
        )
        values.update(fields)
        registration = Registration(**values)
        db.session.add(registration)
        created.append(registration)
    db.session.commit()
    return created


def status_of(email: str) -> RegistrationStatus:
    return db.session.scalar(sa.select(Registration.status).where(Registration.email == email))


def event_titled(title: str) -> Event | None:
    return db.session.scalar(sa.select(Event).where(Event.title == title))


def row_cells(html: str, text: str) -> list[str]:
    """The cells of the table row that contains `text`, as the reader sees them."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if text in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
