"""In a real browser: an organiser reads an email as the participant saw it, and nothing in the stored HTML runs."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import OutboxEmail, Registration
from app.services.mail import notifications
from tests.conftest import start_writing
from tests.e2e.conftest import sign_in
from tests.integration.organiser_support import add_registrations


def test_the_email_is_shown_framed_and_its_scripts_never_run(make_event, make_user, live_server, new_page):
    event = make_event()
    make_user()
    [person] = add_registrations(event, 1, given_name="Amina", family_name="Diallo")
    start_writing()
    notifications.queue(db.session, db.session.get(Registration, person.id), "registration_confirmed")
    email = db.session.scalars(sa.select(OutboxEmail)).one()
    # As if an organiser's text had slipped markup into the HTML version.
    email.body_html = email.body_html.replace(
        "</body>", "<script>document.body.dataset.ran = 'yes'; parent.document.title = 'taken over';</script>"
                   "<form action='https://evil.example/'><button>Steal</button></form></body>")
    db.session.commit()

    page = sign_in(new_page(), live_server)
    page.goto(f"{live_server}/admin/events/{event.id}/emails")
    page.get_by_role("link", name=f"Your place is confirmed: {event.title}").click()

    frame = page.frame_locator("iframe.email-preview")
    expect(frame.get_by_text("Dear Amina Diallo")).to_be_visible()
    expect(frame.locator("a[href*='/r/']")).to_be_visible()  # the personal link, clickable
    assert page.title().startswith("Your place is confirmed")
    [framed] = [f for f in page.frames if f.url.endswith("/body.html")]
    assert framed.evaluate("document.body.dataset.ran") is None
    expect(page.locator("pre.email-text")).to_contain_text("Your place at")
