"""In a real browser: a participant corrects their organisation from the personal link, and the organiser
sees the correction on the registration's page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import link_in
from tests.e2e.conftest import sign_in
from tests.integration.documents_support import registration_by_email


def test_a_participant_corrects_their_organisation_from_the_personal_link(
    make_event, make_user, register, deliver_emails, mailbox, live_server, new_page
):
    event = make_event()
    register(event, organisation="Dakar Technology Prak")  # a typing mistake, seen in the confirmation email
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    make_user()

    participant = new_page()
    participant.goto(live_server + link)
    participant.get_by_role("link", name="Correct my details").click()
    organisation = participant.get_by_label("Organisation", exact=True)
    expect(organisation).to_have_value("Dakar Technology Prak")
    # Emptied by mistake first: the form says so next to the field, and keeps the rest.
    organisation.fill("")
    participant.get_by_role("button", name="Save my details").click()
    expect(participant.get_by_text("Please enter your organisation.")).to_be_visible()
    participant.get_by_label("Organisation", exact=True).fill("Dakar Technology Park")
    participant.get_by_role("button", name="Save my details").click()
    expect(participant.get_by_text("Your details are saved.")).to_be_visible()
    expect(participant.get_by_text("Dakar Technology Park, Senegal")).to_be_visible()

    registration = registration_by_email("amina.diallo@example.org")
    organiser = sign_in(new_page(), live_server)
    organiser.goto(f"{live_server}/admin/events/{event.id}/attendees/{registration.id}")
    expect(organiser.locator("dd", has_text=re.compile(r"^Dakar Technology Park$"))).to_be_visible()
