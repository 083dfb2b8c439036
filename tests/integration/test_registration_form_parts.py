"""The parts of the registration form (app/public/form_parts.py): which ones an event's form has and where,
everything saved at the time the registration was made, and each form built once, never shown stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer,
    ProgrammeSession,
    Question,
    Registration,
    RegistrationMode,
    SessionChoice,
    TravelSupportRequest,
    Upload,
    VisaRequest,
    utcnow,
)
from app.public import routes
from app.public.form_parts import registration_form_for
from tests.conftest import start_writing
from tests.integration.documents_support import visa_fields
from tests.integration.questions_support import PDF, a_file, add_question, upload_folder  # noqa: F401


def add_session(event, title: str, *, hours_in: int = 0) -> ProgrammeSession:
    start_writing()
    programme_session = ProgrammeSession(event_id=event.id, title=title, room="Room 201",
                                         starts_at=event.starts_at + timedelta(hours=hours_in),
                                         ends_at=event.starts_at + timedelta(hours=hours_in + 1))
    db.session.add(programme_session)
    db.session.commit()
    return programme_session


@pytest.fixture
def full_event(make_event):
    """An application-mode event with every part: a programme, questions (one for a file) and travel support."""
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    event.plenary = add_session(event, "Plenary: science cities")
    event.motivation = add_question(event, "short_text", "Why this workshop?", required=True)
    event.slides = add_question(event, "file", "Case presentation")
    return event


def test_the_parts_come_in_their_places_on_the_form(full_event, client):
    html = client.get(f"/events/{full_event.slug}").get_data(as_text=True)
    markers = ['name="needs_visa_letter"', 'id="visa-details"', 'id="sessions"', 'class="questions"',
               'id="travel-support"', 'name="consent"']
    places = [html.index(marker) for marker in markers]
    assert places == sorted(places)


def test_an_event_with_nothing_of_its_own_has_only_the_visa_part(make_event, client):
    html = client.get(f"/events/{make_event().slug}").get_data(as_text=True)
    assert 'id="visa-details"' in html
    for marker in ('id="sessions"', 'class="questions"', 'id="travel-support"', "multipart/form-data"):
        assert marker not in html


def test_every_part_saves_at_the_time_the_registration_was_made(full_event, register, monkeypatch,
                                                                upload_folder):  # noqa: F811
    made_at = (utcnow() - timedelta(minutes=7)).replace(microsecond=0)
    monkeypatch.setattr(routes, "utcnow", lambda: made_at)
    page = register(full_event, sessions=[full_event.plenary.id], travel_flight="y", travel_currency="USD",
                    **{full_event.motivation.field_name: "To learn.", full_event.slides.field_name: a_file(PDF)},
                    **visa_fields())
    assert page.status_code == 200 and b"name=\"consent\"" not in page.data
    assert db.session.scalar(sa.select(Registration.created_at)) == made_at
    for column in (SessionChoice.chosen_at, Answer.answered_at, Upload.created_at, TravelSupportRequest.created_at,
                   TravelSupportRequest.updated_at, VisaRequest.created_at, VisaRequest.updated_at):
        assert set(db.session.scalars(sa.select(column))) == {made_at}, column


def test_the_form_is_built_once_for_what_the_event_asks(full_event, app):
    with app.test_request_context():
        first, second = registration_form_for(db.session, full_event), registration_form_for(db.session, full_event)
    assert type(first) is type(second)
    assert first is not second and first.event is full_event


def test_a_changed_question_or_a_new_session_is_on_the_next_form(full_event, client, register,
                                                                 upload_folder):  # noqa: F811
    url = f"/events/{full_event.slug}"
    assert "Why this workshop?" in client.get(url).get_data(as_text=True)
    start_writing()
    db.session.get(Question, full_event.motivation.id).label = "What do you hope to learn?"
    db.session.commit()
    visit = add_session(full_event, "Site visit: Daedeok Innopolis", hours_in=3)

    html = client.get(url).get_data(as_text=True)
    assert "What do you hope to learn?" in html and "Why this workshop?" not in html
    assert f'value="{visit.id}"' in html
    page = register(full_event, sessions=[visit.id], **{full_event.motivation.field_name: "To learn."})
    assert page.status_code == 200 and b"name=\"consent\"" not in page.data
    assert set(db.session.scalars(sa.select(SessionChoice.session_id))) == {visit.id}
