"""On a 390 px phone the organiser's lists and the application form fit the screen: wide tables scroll
inside their own box instead of widening the page. (Every page of the demo is measured the same way in
test_every_page.py, which also needs the npm checkers; this needs only Chromium.)"""

from __future__ import annotations

from app.models import QuestionKind, RegistrationMode
from tests.e2e.conftest import sign_in
from tests.integration.organiser_support import add_registrations
from tests.integration.questions_support import add_question

PHONE = {"width": 390, "height": 844}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_dashboard_attendee_list_and_application_form_fit_a_phone(make_event, make_user, live_server, new_page):
    event = make_event(registration_mode=RegistrationMode.APPLICATION)
    add_question(event, QuestionKind.FILE, "Case presentation", help_text="Your slides as a PDF.")
    add_registrations(event, 3)
    make_user()
    page = new_page()
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server}/events/{event.slug}")
    form_width = page_width(page)
    sign_in(page, live_server)
    page.goto(f"{live_server}/admin/")
    dashboard_width = page_width(page)
    page.goto(f"{live_server}/admin/events/{event.id}/attendees")
    attendees_width = page_width(page)

    assert (dashboard_width, attendees_width, form_width) == (390, 390, 390)
    # The table is still all there: it scrolls sideways inside its box.
    box = page.locator(".table-wrap").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
