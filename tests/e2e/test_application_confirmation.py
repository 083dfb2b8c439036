"""In a real browser: an accepted applicant opens the link in the acceptance email and confirms they are coming;
the organiser's list then shows them as confirmed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.models import RegistrationMode
from tests.conftest import text_of
from tests.e2e.conftest import sign_in
from tests.integration.applications_support import add_applications


def test_an_accepted_applicant_confirms_from_the_acceptance_email(
    make_event, make_user, live_server, new_page, deliver_emails, mailbox
):
    event = make_event(registration_mode=RegistrationMode.APPLICATION, capacity=25, confirm_within_days=10)
    make_user(name="Ji-woo Park")
    [applicant] = add_applications(event, 1, given_name="Wanjiru", family_name="Kamau",
                                   email="wanjiru.kamau@example.org")

    organiser = new_page()
    sign_in(organiser, live_server)
    organiser.goto(f"{live_server}/admin/events/{event.id}/applications/{applicant.id}")
    organiser.get_by_role("button", name="Accept…").click()
    organiser.get_by_role("button", name="Yes, accept and send 1 email").click()
    expect(organiser.get_by_text("1 application accepted")).to_be_visible()

    deliver_emails()
    [accepted] = [m for m in mailbox.to("wanjiru.kamau@example.org") if "accepted" in m["Subject"]]
    assert "Please confirm that you are coming by" in text_of(accepted)
    link = re.search(r"http://localhost(/r/[A-Za-z0-9._-]+)", text_of(accepted)).group(1)

    person = new_page()
    person.goto(f"{live_server}{link}")
    expect(person.locator("#confirm-attendance")).to_contain_text("Please confirm that you are coming by")
    person.get_by_role("button", name="I am coming").click()
    expect(person.get_by_text("you have confirmed that you are coming")).to_be_visible()
    expect(person.locator("#attendance-confirmed")).to_be_visible()
    expect(person.get_by_role("button", name="I am coming")).to_have_count(0)

    organiser.goto(f"{live_server}/admin/events/{event.id}/applications")
    organiser.get_by_label("Coming?").select_option(label="Confirmed they are coming")
    organiser.get_by_role("button", name="Search").click()
    expect(organiser.get_by_role("link", name="Wanjiru Kamau")).to_be_visible()
    expect(organiser.locator(".confirmation.confirmed")).to_contain_text("Coming, confirmed")
