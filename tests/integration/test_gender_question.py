"""An organiser switches on the optional gender question; people answer it, or not; the managers see
each answer on the person's page, the statistics show totals, and nothing public or printed shows it."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Gender, Registration
from tests.integration.organiser_support import edit_form, post_form
from tests.integration.statistics_support import tables


def registration_of(email: str) -> Registration:
    db.session.expire_all()
    return db.session.scalar(sa.select(Registration).where(Registration.email == email))


def test_an_organiser_asks_for_gender_and_people_may_answer_or_not(make_user, auth, make_event, client, register):
    make_user()
    auth.login()
    event = make_event(title="Forum asking gender")
    assert "Gender (optional)" not in client.get(f"/events/{event.slug}").get_data(as_text=True)

    response = post_form(client, f"/admin/events/{event.id}/edit", edit_form(event, asks_gender="y"),
                         follow_redirects=True)
    assert response.status_code == 200
    assert db.session.get(Event, event.id).asks_gender

    form = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Gender (optional)" in form and "Prefer not to say" in form
    assert 'name="gender"' in form and "required" not in form.split('name="gender"')[1].split(">")[0]

    register(event, email="answers@example.org", gender="woman")
    register(event, email="skips@example.org", given_name="Bo")
    register(event, email="declines@example.org", given_name="Cy", gender="undisclosed")
    answered, skipped = registration_of("answers@example.org"), registration_of("skips@example.org")
    assert answered.gender is Gender.WOMAN
    assert skipped is not None and skipped.gender is None
    assert registration_of("declines@example.org").gender is Gender.UNDISCLOSED

    person = client.get(f"/admin/events/{event.id}/attendees/{answered.id}").get_data(as_text=True)
    assert "<dt>Gender</dt><dd>Woman</dd>" in person
    statistics = tables(client.get(f"/admin/events/{event.id}/statistics").get_data(as_text=True))
    # A third each: the point left over goes to the first (largest remainders, ties to the earlier).
    assert statistics["Participants by gender"] == [
        ["Woman", "1", "34 %"], ["Prefer not to say", "1", "33 %"], ["Not answered", "1", "33 %"], ["Total", "3", "100 %"]]


def test_an_answer_that_is_not_one_of_the_choices_is_refused(make_event, client, register):
    event = make_event(title="Forum asking gender", asks_gender=True)

    response = register(event, email="odd@example.org", gender="robot")

    assert response.status_code == 422 or "Not a valid choice" in response.get_data(as_text=True)
    assert registration_of("odd@example.org") is None


def test_gender_is_never_on_the_public_pages_or_the_participant_link(make_event, client, register):
    event = make_event(title="Innovation Forum", asks_gender=True)
    page = register(event, email="answers@example.org", gender="man").get_data(as_text=True)

    assert registration_of("answers@example.org").gender is Gender.MAN
    assert "Gender" not in page and ">Man<" not in page
    assert "gender" not in client.get(f"/events/{event.slug}/calendar.ics").get_data(as_text=True).lower()


def test_gender_is_never_printed_on_badges(make_user, auth, make_event, client):
    from tests.integration.documents_support import pdf_text
    from tests.integration.organiser_support import add_registrations

    event = make_event(title="Innovation Forum", asks_gender=True)
    add_registrations(event, 1, gender=Gender.WOMAN, given_name="Amina")
    add_registrations(event, 1, gender=Gender.ANOTHER, given_name="Sam")
    make_user()
    auth.login()

    text = pdf_text(client.get(f"/admin/events/{event.id}/documents/badges.pdf").data)

    assert "Amina" in text and "Sam" in text
    assert not any(gender.label in text for gender in Gender)
