"""In a real browser: an administrator invites someone, who opens the link from the email and sets a password;
a sign-out ends the session in every browser that holds a copy of its cookie."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import text_of
from tests.e2e.conftest import sign_in


def test_an_invitee_opens_the_emailed_link_and_sets_a_password(make_user, live_server, new_page, deliver_emails,
                                                               mailbox):
    make_user("secretariat@wtanet.org", admin=True, name="Secretariat")

    admin = sign_in(new_page(), live_server, "secretariat@wtanet.org")
    admin.get_by_role("link", name="Accounts").click()
    admin.get_by_role("link", name="Invite someone").click()
    admin.get_by_label("Email address").fill("lee.reviewer@example.org")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_text("lee.reviewer@example.org is invited")).to_be_visible()
    expect(admin.get_by_role("row").filter(has_text="lee.reviewer@example.org")).to_contain_text("Invited")

    deliver_emails()
    [invitation] = mailbox.to("lee.reviewer@example.org")
    path = re.search(r"http://localhost(/invitation/\S+)", text_of(invitation)).group(1)

    invitee = new_page()
    invitee.goto(live_server + path)
    expect(invitee.get_by_role("heading", name="Welcome to WTA Events")).to_be_visible()
    invitee.get_by_label("Your name").fill("Lee Seo-yeon")
    invitee.get_by_label("Choose a password").fill("password1234")
    invitee.get_by_label("The same password again").fill("password1234")
    invitee.get_by_role("button", name="Open my account").click()
    expect(invitee.get_by_text("This password is one of the most common ones")).to_be_visible()

    invitee.get_by_label("Choose a password").fill("maple river compass")
    invitee.get_by_label("The same password again").fill("maple river compass")
    invitee.get_by_role("button", name="Open my account").click()
    expect(invitee.get_by_text("Welcome! Your password is set, and you are signed in.")).to_be_visible()
    invitee.get_by_role("link", name="My account").click()
    expect(invitee.get_by_label("Your name")).to_have_value("Lee Seo-yeon")

    admin.reload()
    expect(admin.get_by_role("row").filter(has_text="lee.reviewer@example.org")).to_contain_text("Active")


def test_a_sign_out_kills_a_copied_cookie(make_user, live_server, new_page):
    make_user()
    organiser = sign_in(new_page(), live_server)
    # Someone copies the session cookie out of the organiser's browser into their own.
    intruder = new_page()
    intruder.context.add_cookies(organiser.context.cookies())
    intruder.goto(live_server + "/admin/")
    expect(intruder.get_by_role("button", name="Sign out")).to_be_visible()

    organiser.get_by_role("button", name="Sign out").click()
    expect(organiser.get_by_text("You are signed out.")).to_be_visible()

    intruder.goto(live_server + "/admin/")
    expect(intruder).to_have_url(re.compile(r"/login"))
    expect(intruder.get_by_text("Please sign in to see the organiser pages.")).to_be_visible()
