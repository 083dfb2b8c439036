"""The event page's registration form is rendered once for every visitor (app/public/form_cache.py): each
visitor still gets a token of their own, and an organiser's edit shows on the page at once."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Question, QuestionKind, Registration, RegistrationStatus
from tests.conftest import csrf_token, registration_form
from tests.integration.organiser_support import edit_form, post_form
from tests.integration.questions_support import add_question


@pytest.fixture
def organiser(make_user, auth):
    user = make_user("organiser@wtanet.org", admin=True)
    auth.login("organiser@wtanet.org")
    return user


def test_a_visitor_registers_from_the_form_an_earlier_visit_rendered(make_event, client, register):
    """(Within one test the app context, and so Flask-WTF's token, is shared between clients: that each
    visitor gets a token of their own is Flask-WTF's part; here, that the kept HTML carries the current one.)"""
    event = make_event(capacity=10)
    client.get(f"/events/{event.slug}")  # the first visit renders and keeps the form

    page = client.get(f"/events/{event.slug}")
    assert 'name="csrf_token" type="hidden" value="' + csrf_token(page) + '"' in page.get_data(as_text=True)
    assert "\x00" not in page.get_data(as_text=True)
    response = client.post(f"/events/{event.slug}", data={**registration_form(), "csrf_token": csrf_token(page)})

    assert response.status_code == 302
    assert db.session.query(Registration).count() == 1


def test_an_edited_question_shows_on_the_page_at_once(organiser, make_event, client):
    event = make_event()
    question = add_question(event, QuestionKind.SHORT_TEXT, "Your role in the park")
    assert "Your role in the park" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    edit = f"/admin/events/{event.id}/questions/{question.id}/edit"
    post_form(client, edit, {"kind": "short_text", "label": "Your role at the science park", "help_text": "",
                             "options": "", "min_value": "", "max_value": "", "condition": ""})

    assert db.session.get(Question, question.id).label == "Your role at the science park"
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Your role at the science park" in page and "Your role in the park" not in page


def test_an_edited_event_shows_on_the_page_at_once(organiser, make_event, register, client):
    event = make_event(capacity=5)
    register(event)
    assert ">Register</button>" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    edit = client.get(f"/admin/events/{event.id}/edit")
    client.post(f"/admin/events/{event.id}/edit", data=edit_form(event, capacity="1", csrf_token=csrf_token(edit)))

    assert db.session.query(Registration).filter_by(status=RegistrationStatus.CONFIRMED).count() == 1
    assert "Join the waiting list</button>" in client.get(f"/events/{event.slug}").get_data(as_text=True)
