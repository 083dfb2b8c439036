"""In a real browser: a participant corrects their organisation from the personal link in their confirmation email;
the event's manager finds the correction, before → after, in the registration's history and in the event's Log."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.models import TeamRole
from tests.conftest import link_in
from tests.e2e.conftest import sign_in
from tests.integration.organiser_support import add_to_team


def test_a_participants_correction_shows_in_the_history_and_the_log_with_before_and_after(
    make_event, make_user, register, deliver_emails, mailbox, live_server, new_page
):
    event = make_event()
    register(event, organisation="Dakar Technology Prak")
    deliver_emails()
    link = link_in(mailbox.to("amina.diallo@example.org")[0])
    manager = make_user("mina.manager@wtanet.org", admin=False, name="Mina Manager")
    add_to_team(event, manager, TeamRole.MANAGER)

    participant = new_page()
    participant.goto(live_server + link)
    participant.get_by_role("link", name="Correct my details").click()
    participant.get_by_label("Organisation", exact=True).fill("Dakar Technology Park")
    participant.get_by_role("button", name="Save my details").click()
    expect(participant.get_by_text("Your details are saved.")).to_be_visible()

    # The manager opens the registration from the attendee list, then its history.
    organiser = sign_in(new_page(), live_server, "mina.manager@wtanet.org")
    organiser.get_by_role("row").filter(has_text=event.title).get_by_role("link", name="Attendees").click()
    organiser.get_by_role("row").filter(has_text="Amina Diallo").get_by_role("link", name=re.compile("^ITW")).click()
    organiser.get_by_role("link", name="History of changes").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("History of Dr Amina Diallo")
    correction = organiser.get_by_role("row").filter(has_text="Participant via personal link")
    expect(correction).to_have_count(1)
    expect(correction).to_contain_text("Organisation: Dakar Technology Prak → Dakar Technology Park")
    expect(correction.locator("del")).to_have_text("Dakar Technology Prak")
    expect(correction.locator("ins")).to_have_text("Dakar Technology Park")

    # The event's Log shows it too, and finds it by who made it.
    organiser.goto(f"{live_server}/admin/events/{event.id}/attendees")
    organiser.get_by_role("navigation", name="This event").get_by_role("link", name="Log").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("Log of changes")
    organiser.get_by_label("Who").select_option(label="Participant via personal link")
    organiser.get_by_role("button", name="Show").click()
    rows = organiser.locator("table.audit-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Amina Diallo")
    expect(rows).to_contain_text("Organisation: Dakar Technology Prak → Dakar Technology Park")
    rows.get_by_role("link", name="Amina Diallo").click()
    expect(organiser.get_by_role("heading", level=1)).to_have_text("History of Dr Amina Diallo")
