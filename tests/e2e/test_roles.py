"""In a real browser: check-in staff sign in, find the check-in page from their dashboard, check someone in,
and are refused the attendee list."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from app.models import TeamRole, utcnow
from tests.e2e.conftest import sign_in
from tests.integration.organiser_support import add_registrations, add_to_team


def test_check_in_staff_check_someone_in_and_cannot_open_the_attendee_list(make_event, make_user, live_server,
                                                                          new_page):
    now = utcnow()
    event = make_event(title="Forum at the door", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                       registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(hours=2))
    [person] = add_registrations(event, 1, given_name="Wanjiru", family_name="Kamau",
                                 email="wanjiru@example.org")
    staff = make_user("door@wtanet.org", admin=False, name="Door Staff")
    add_to_team(event, staff, TeamRole.CHECK_IN)

    page = new_page()
    sign_in(page, live_server, "door@wtanet.org")
    row = page.get_by_role("row").filter(has_text="Forum at the door")
    expect(row).to_contain_text("Check-in staff")
    expect(row.get_by_role("link", name="Attendees")).to_have_count(0)
    row.get_by_role("link", name="Check-in").click()

    nav = page.get_by_role("navigation", name="This event")
    expect(nav.get_by_role("link")).to_have_text(["Check-in", "Attendance"])
    page.get_by_label("Badge code or name").fill(person.reference)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("Checked in")
    expect(page.locator("#checkin-result")).to_contain_text("Wanjiru Kamau")

    response = page.goto(f"{live_server}/admin/events/{event.id}/attendees")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_text("Your role on this event's team does not include this page")).to_be_visible()
