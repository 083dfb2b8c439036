"""In a real browser: a participant registers for a workshop, and an organiser finds them."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration, RegistrationStatus
from tests.e2e.conftest import sign_in


def test_participant_registers_in_the_browser_and_the_organiser_finds_them(
    make_event, make_user, live_server, new_page
):
    event = make_event(title="International Training Workshop on Incubator Management", capacity=30)
    make_user()  # the organiser, password "correct horse battery"

    # A participant from Nairobi finds the workshop on the home page and opens it.
    participant = new_page()
    participant.goto(live_server + "/")
    participant.get_by_role("link", name=event.title).click()
    expect(participant.get_by_role("heading", name=event.title)).to_be_visible()

    # She presses Register too early: the page says what is missing and puts her in the first field.
    participant.get_by_role("button", name="Register").click()
    expect(participant.get_by_text("Please enter your given name.")).to_be_visible()
    expect(participant.get_by_label("Given name(s)")).to_be_focused()

    participant.get_by_label("Title").select_option("Ms")
    participant.get_by_label("Given name(s)").fill("Wanjiru")
    participant.get_by_label("Family name").fill("Kamau")
    participant.get_by_label("Email").fill("wanjiru.kamau@example.org")
    participant.get_by_label("Organisation", exact=True).fill("Nairobi Innovation Hub")
    participant.get_by_label("Type of organisation").select_option(label="Business incubator")
    # 250 countries: she types in the filter box above the list instead of scrolling.
    participant.get_by_label("Country of your organisation: Type to filter the list").fill("Kenya")
    expect(participant.get_by_label("Country of your organisation", exact=True)).to_have_value("KE")
    participant.get_by_label("I agree that the organisers process my data").check()
    participant.get_by_role("button", name="Register").click()

    expect(participant.get_by_role("heading", name="You are registered")).to_be_visible()
    reference = participant.locator("#reference").inner_text()
    assert re.fullmatch(rf"{event.code}-[A-Z0-9]{{4,6}}", reference)
    db.session.commit()  # end the test's own read transaction: it must see what the server wrote
    registration = db.session.scalar(sa.select(Registration).where(Registration.reference == reference))
    assert registration.status is RegistrationStatus.CONFIRMED
    assert (registration.full_name, registration.country) == ("Wanjiru Kamau", "KE")
    db.session.commit()  # let go of the database before the organiser's requests

    # The organiser, at another computer, signs in and looks her up by name.
    organiser = new_page()
    sign_in(organiser, live_server)

    organiser.goto(f"{live_server}/admin/events/{event.id}/attendees")
    organiser.locator("input[name=q]").fill("Kamau")
    organiser.get_by_role("button", name="Search").click()

    row = organiser.get_by_role("row").filter(has_text="Wanjiru Kamau")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Nairobi Innovation Hub")
    expect(row).to_contain_text("Kenya")
