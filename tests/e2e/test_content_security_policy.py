"""In Chromium under the app's real Content-Security-Policy (no bypass): the pages' own scripts run, nothing is
refused, and what used to be inline handlers still works (the organiser is asked before cancelling someone)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration, RegistrationStatus
from tests.e2e.conftest import sign_in
from tests.integration.organiser_support import add_registrations


def _watch_for_violations(page) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    return refused


def test_an_organiser_is_asked_before_cancelling_and_no_script_or_style_is_refused(make_event, make_user,
                                                                                  live_server, new_page):
    event = make_event()
    [person] = add_registrations(event, 1, given_name="Amina", family_name="Diallo")
    make_user()
    page = new_page()
    refused = _watch_for_violations(page)
    page.goto(f"{live_server}/events/{event.slug}")  # the registration form, its searchable country list
    expect(page.get_by_role("searchbox", name="Country of your organisation: Type to filter the list")).to_be_visible()  # its script ran
    sign_in(page, live_server)
    page.goto(f"{live_server}/admin/events/{event.id}/attendees")

    page.once("dialog", lambda dialog: dialog.dismiss())  # "Cancel the registration of Amina Diallo?" - No
    page.get_by_role("button", name="Cancel").first.click()
    expect(page.get_by_text("Amina Diallo")).to_be_visible()
    db.session.commit()  # end the test's read transaction: see what the server wrote
    assert db.session.get(Registration, person.id).status is RegistrationStatus.CONFIRMED

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Cancel").first.click()
    page.wait_for_load_state()
    assert asked == ["Cancel the registration of Amina Diallo? They will be emailed."]
    expect(page.locator(".flash")).to_contain_text("cancelled")
    db.session.commit()  # end the test's read transaction: see what the server wrote
    assert db.session.get(Registration, person.id).status is RegistrationStatus.CANCELLED

    page.goto(f"{live_server}/admin/events/{event.id}/check-in")  # its scripts: counts, camera reader
    expect(page.get_by_label("Badge code or name")).to_be_focused()
    assert refused == []
