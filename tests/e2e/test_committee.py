"""In a real browser: an administrator puts a new reviewer on an event's team; the reviewer opens the invitation
that arrived by email, sets a password and scores applications one after the other (next, previous, "Save and
next"). They cannot export or decide; the event's manager follows their progress on the Selection page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.models import RegistrationMode, TeamRole
from tests.conftest import text_of
from tests.e2e.conftest import sign_in
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_to_team


def test_an_invited_reviewer_scores_applications_and_cannot_export_or_decide(
    make_event, make_user, live_server, new_page, deliver_emails, mailbox
):
    event = make_event(title="International Training Workshop on Technology Business Incubation",
                       registration_mode=RegistrationMode.APPLICATION, capacity=25)
    for family_name in ("Achieng", "Banda", "Chukwu"):
        add_applications(event, 1, given_name="Applicant", family_name=family_name)
    make_user("secretariat@wtanet.org", admin=True, name="Secretariat")
    manager = make_user("mina.manager@wtanet.org", admin=False, name="Mina Manager")
    add_to_team(event, manager, TeamRole.MANAGER)

    # The administrator adds the reviewer by email on the event's Team page.
    admin = sign_in(new_page(), live_server, "secretariat@wtanet.org")
    admin.goto(f"{live_server}/admin/events/{event.id}/applications")
    admin.get_by_role("navigation", name="This event").get_by_role("link", name="Team").click()
    admin.get_by_label("Email address").fill("Lee.Reviewer@example.org")
    admin.get_by_label("Role", exact=True).select_option(TeamRole.REVIEWER.value)
    admin.get_by_role("button", name="Add to the team").click()
    expect(admin.get_by_role("row").filter(has_text="lee.reviewer@example.org")
           .get_by_label("Role of lee.reviewer@example.org")).to_have_value(TeamRole.REVIEWER.value)

    deliver_emails()
    messages = {message["Subject"]: message for message in mailbox.to("lee.reviewer@example.org")}
    assert f"You are on the team of {event.title}" in messages
    [invitation] = [message for message in messages.values() if "/invitation/" in text_of(message)]
    path = re.search(r"http://localhost(/invitation/\S+)", text_of(invitation)).group(1)

    # The reviewer follows the link from the email, sets a password and is signed in.
    reviewer = new_page()
    reviewer.goto(live_server + path)
    reviewer.get_by_label("Your name").fill("Lee Seo-yeon")
    reviewer.get_by_label("Choose a password").fill("maple river compass")
    reviewer.get_by_label("The same password again").fill("maple river compass")
    reviewer.get_by_role("button", name="Open my account").click()
    expect(reviewer.get_by_text("Welcome! Your password is set, and you are signed in.")).to_be_visible()
    row = reviewer.get_by_role("row").filter(has_text=event.title)
    expect(row).to_contain_text("Reviewer")
    row.get_by_role("link", name=event.title).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Applications")

    # No export and no decision on the page: only what a reviewer may use.
    for name in ("Accepted + travel support (CSV)", "(Excel)", "Uploaded files (ZIP)", "Selection by country and type",
                 "Email these people"):
        expect(reviewer.get_by_role("link", name=name)).to_have_count(0)
    expect(reviewer.get_by_label("With the selected applications")).to_have_count(0)
    expect(reviewer.get_by_role("checkbox", name=re.compile("^Select "))).to_have_count(0)
    expect(reviewer.get_by_role("navigation", name="This event").get_by_role("link")).to_have_text(["Applications"])

    # Next and previous walk the list without scoring; "Save and next" scores and moves on.
    reviewer.get_by_role("link", name="Applicant Achieng").click()
    expect(reviewer.locator("#walk-position")).to_have_text("1 of 3")
    reviewer.get_by_role("link", name="Next →").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Applicant Banda")
    reviewer.get_by_role("link", name="← Previous").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Applicant Achieng")
    reviewer.get_by_label("4", exact=True).check()
    reviewer.get_by_role("button", name="Save and next").click()
    expect(reviewer.get_by_text("Your review of Applicant Achieng is saved.")).to_be_visible()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Applicant Banda")
    reviewer.get_by_label("2", exact=True).check()
    reviewer.get_by_label("Your notes").fill("Little on the incubator itself.")
    reviewer.get_by_role("button", name="Save my review").click()
    expect(reviewer.get_by_text("Your review is saved.")).to_be_visible()
    expect(reviewer.locator(".reviews-table tr.mine")).to_contain_text("Lee Seo-yeon (you)")
    # A reviewer's page has no decision either.
    expect(reviewer.get_by_role("button", name=re.compile("Accept|Decline|reserve"))).to_have_count(0)

    reviewer.get_by_role("link", name="Back to the list").click()
    for name, mine in (("Achieng", "Scored by you"), ("Banda", "Scored by you"), ("Chukwu", "Not scored")):
        expect(reviewer.get_by_role("row").filter(has_text=f"Applicant {name}")).to_contain_text(mine)

    # Typing the addresses does not help: the exports and decisions answer 403.
    base = f"{live_server}/admin/events/{event.id}"
    for url in (f"{base}/applications/accepted.csv", f"{base}/applications/accepted.xlsx",
                f"{base}/applications/files.zip", f"{base}/attendees.csv", f"{base}/selection"):
        response = reviewer.request.get(url)
        assert response.status == 403, (url, response.status)
    token = reviewer.locator("input[name=csrf_token]").first.get_attribute("value")
    achieng = reviewer.get_by_role("row").filter(has_text="Applicant Achieng").get_by_role("link").first
    registration_id = re.search(r"/applications/(\d+)", achieng.get_attribute("href")).group(1)
    decision = reviewer.request.post(f"{base}/applications/decide",
                                     form={"csrf_token": token, "registration": registration_id, "decision": "accept"})
    assert decision.status == 403
    reviewer.reload()
    expect(reviewer.get_by_role("row").filter(has_text="Applicant Achieng")).to_contain_text("Under review")

    # The manager sees how far the reviewer has got.
    manager_page = sign_in(new_page(), live_server, "mina.manager@wtanet.org")
    manager_page.goto(f"{base}/applications")
    manager_page.get_by_role("link", name="Selection by country and type").click()
    progress = manager_page.locator("table.reviewer-progress").get_by_role("row").filter(has_text="Lee Seo-yeon")
    expect(progress).to_contain_text("2 of 3")
    expect(progress.locator("td").last).to_have_text("1")
