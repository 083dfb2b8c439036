"""Organiser accounts: invitations, "Forgot your password?", My account, the administrators' account pages,
and sessions that end for real (a copied session cookie or remember-me cookie stops working)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxEmail, User, utcnow
from app.services.errors import DomainError
from app.services.people import accounts
from app.services.people.invitations import invite_organiser
from app.services.people.password_reset import request_password_reset
from tests.conftest import Auth, BrowserLikeClient, csrf_token, start_writing, text_of

ADMIN = "secretariat@wtanet.org"
ORGANISER = "organiser@wtanet.org"
PASSWORD = "correct horse battery"
SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"


def link_in_email(message, path: str) -> str:
    """The link of an account email, as a path the test client can follow."""
    match = re.search(rf"http://localhost(/{path}/[A-Za-z0-9._-]+)", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def another_browser(app):
    app.test_client_class = BrowserLikeClient
    return app.test_client()


def signed_in(app, email: str = ORGANISER, password: str = PASSWORD, *, remember: bool = False):
    browser = another_browser(app)
    page = browser.get("/login")
    response = browser.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(page),
                                            **({"remember": "y"} if remember else {})})
    assert response.status_code == 302, response.data
    return browser


def with_cookie(app, name: str, value: str):
    """A browser that has nothing but a copy of one cookie (stolen, or left on a shared computer)."""
    browser = another_browser(app)
    browser.set_cookie(name, value)
    return browser


def cookie(browser, name: str) -> str:
    found = browser.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def can_see_dashboard(browser) -> bool:
    response = browser.get("/admin/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def post_form(browser, url: str, data: dict, *, page_url: str | None = None):
    page = browser.get(page_url or url)
    return browser.post(url, data={**data, "csrf_token": csrf_token(page)})


@pytest.fixture
def admin(make_user):
    return make_user(ADMIN, admin=True, name="Secretariat")


# --- invitations --------------------------------------------------------------------------------------------

def test_admin_invites_someone_who_sets_their_password_from_the_email_and_is_signed_in(
        app, admin, auth, client, deliver_emails, mailbox):
    auth.login(ADMIN)
    response = post_form(client, "/admin/users/invite", {"email": " Kim.Reviewer@Example.org ", "name": ""})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    assert "kim.reviewer@example.org" in client.get("/admin/users").get_data(as_text=True)
    assert signed_in_fails(app, "kim.reviewer@example.org", "anything at all")  # no password until they choose one

    deliver_emails()
    [invitation] = mailbox.to("kim.reviewer@example.org")
    assert invitation["Subject"] == "You are invited to organise events on WTA Events"
    assert "Secretariat has invited you" in text_of(invitation)
    link = link_in_email(invitation, "invitation")

    invitee = another_browser(app)
    page = invitee.get(link)
    assert page.status_code == 200 and b"kim.reviewer@example.org" in page.data
    assert b"At least 10 characters" in page.data  # the policy is said before it refuses anything
    too_short = invitee.post(link, data={"name": "Kim Min-jun", "password": "short", "confirm": "short",
                                         "csrf_token": csrf_token(page)})
    assert re.search(r'id="password-error">The password needs at least 10 characters', too_short.get_data(as_text=True))
    common = invitee.post(link, data={"name": "Kim Min-jun", "password": "password1234", "confirm": "password1234",
                                      "csrf_token": csrf_token(page)})
    assert re.search(r'id="password-error">This password is one of the most common ones', common.get_data(as_text=True))
    no_name = invitee.post(link, data={"name": " ", "password": "tea garden lantern", "confirm": "tea garden lantern",
                                       "csrf_token": csrf_token(page)})
    assert 'id="name-error"' in no_name.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "kim.reviewer@example.org")).password_hash is None

    done = invitee.post(link, data={"name": "Kim Min-jun", "password": "tea garden lantern",
                                    "confirm": "tea garden lantern", "csrf_token": csrf_token(page)})
    assert done.status_code == 302 and done.headers["Location"] == "/admin/"
    assert can_see_dashboard(invitee)
    assert db.session.scalar(sa.select(User.name).where(User.email == "kim.reviewer@example.org")) == "Kim Min-jun"

    again = another_browser(app).get(link)  # the same link, a second time
    assert again.status_code == 410 and b"This invitation has been used already" in again.data
    assert can_see_dashboard(signed_in(app, "kim.reviewer@example.org", "tea garden lantern"))


def signed_in_fails(app, email: str, password: str) -> bool:
    browser = another_browser(app)
    return Auth(browser).login(email, password).status_code == 401


def test_an_expired_invitation_is_refused_and_can_be_sent_again(app, admin, auth, client, deliver_emails, mailbox):
    start_writing()
    invite_organiser(db.session, email="late@example.org", invited_by=admin, now=utcnow() - timedelta(days=8))
    db.session.commit()
    deliver_emails()
    expired = another_browser(app).get(link_in_email(mailbox.to("late@example.org")[0], "invitation"))
    assert expired.status_code == 410 and b"This invitation has expired" in expired.data

    auth.login(ADMIN)
    user_id = db.session.scalar(sa.select(User.id).where(User.email == "late@example.org"))
    page = client.get("/admin/users")
    assert b"Send the invitation again" in page.data
    response = client.post(f"/admin/users/{user_id}/resend-invitation", data={"csrf_token": csrf_token(page)},
                           follow_redirects=True)
    assert b"The invitation is sent to late@example.org again" in response.data
    deliver_emails()
    fresh = another_browser(app).get(link_in_email(mailbox.to("late@example.org")[-1], "invitation"))
    assert fresh.status_code == 200 and b"Open my account" in fresh.data


def test_inviting_an_address_that_has_an_account_says_so(admin, make_user, auth, client, mailbox, deliver_emails):
    make_user(ORGANISER, admin=False)
    auth.login(ADMIN)
    response = post_form(client, "/admin/users/invite", {"email": "Organiser@wtanet.org"})
    assert re.search(r'id="email-error">organiser@wtanet.org has an account already', response.get_data(as_text=True))
    invalid = post_form(client, "/admin/users/invite", {"email": "not an address"})
    assert 'id="email-error"' in invalid.get_data(as_text=True)
    deliver_emails()
    assert mailbox.messages == []


def test_invite_organiser_returns_the_existing_account_without_an_email(admin, make_user, mailbox, deliver_emails):
    """The interface event teams use: an address with an account is that account, and nobody is emailed."""
    existing = make_user(ORGANISER, admin=False)
    start_writing()
    assert invite_organiser(db.session, email="ORGANISER@wtanet.org", invited_by=admin).id == existing.id
    new = invite_organiser(db.session, email="new.reviewer@example.org", invited_by=admin, name="New Reviewer")
    assert new.password_hash is None and not new.is_admin and new.active
    db.session.commit()
    deliver_emails()
    assert [m["To"] for m in mailbox.messages] == ["new.reviewer@example.org"]


def test_an_administrator_can_invite_an_administrator(app, admin, auth, client, deliver_emails, mailbox):
    auth.login(ADMIN)
    post_form(client, "/admin/users/invite", {"email": "second.admin@wtanet.org", "is_admin": "y"})
    assert db.session.scalar(sa.select(User.is_admin).where(User.email == "second.admin@wtanet.org"))


# --- forgot password ------------------------------------------------------------------------------------------

def test_forgot_password_says_the_same_for_any_address_and_its_link_works_once(
        app, make_user, client, deliver_emails, mailbox):
    make_user(ORGANISER, admin=False)
    login_page = client.get("/login")
    assert b'href="/forgot-password"' in login_page.data

    known = post_form(client, "/forgot-password", {"email": "Organiser@wtanet.org"})
    unknown = post_form(client, "/forgot-password", {"email": "nobody@wtanet.org"})
    said = [re.search(r'id="reset-sent">(.*?)</div>', r.get_data(as_text=True), re.S).group(1) for r in (known, unknown)]
    assert said[0].replace("Organiser@wtanet.org", "X") == said[1].replace("nobody@wtanet.org", "X")
    assert known.status_code == unknown.status_code == 200

    deliver_emails()
    assert [m["To"] for m in mailbox.messages] == [ORGANISER]
    link = link_in_email(mailbox.messages[0], "reset-password")
    browser = another_browser(app)
    page = browser.get(link)
    assert page.status_code == 200
    common = browser.post(link, data={"password": "qwertyuiop", "confirm": "qwertyuiop", "csrf_token": csrf_token(page)})
    assert 'id="password-error">This password is one of the most common ones' in common.get_data(as_text=True)
    mismatch = browser.post(link, data={"password": "new harbour lights", "confirm": "new harbour light",
                                        "csrf_token": csrf_token(page)})
    assert 'id="confirm-error">The two passwords are not the same.' in mismatch.get_data(as_text=True)
    done = browser.post(link, data={"password": "new harbour lights", "confirm": "new harbour lights",
                                    "csrf_token": csrf_token(page)})
    assert done.status_code == 302 and can_see_dashboard(browser)

    assert signed_in_fails(app, ORGANISER, PASSWORD)
    assert can_see_dashboard(signed_in(app, ORGANISER, "new harbour lights"))
    reused = another_browser(app).get(link)
    assert reused.status_code == 410 and b"This link has been used already" in reused.data
    reused_post = another_browser(app).post(link, data={"password": "another new one", "confirm": "another new one",
                                                        "csrf_token": csrf_token(page)})
    assert reused_post.status_code in (400, 410)
    assert signed_in_fails(app, ORGANISER, "another new one")


def test_an_expired_or_tampered_reset_link_is_refused(app, make_user, deliver_emails, mailbox):
    make_user(ORGANISER, admin=False)
    start_writing()
    assert request_password_reset(db.session, ORGANISER, now=utcnow() - timedelta(hours=3))
    db.session.commit()
    deliver_emails()
    link = link_in_email(mailbox.messages[0], "reset-password")
    expired = another_browser(app).get(link)
    assert expired.status_code == 410 and b"This link has expired" in expired.data
    tampered = another_browser(app).get(link[:-3] + "abc")
    assert tampered.status_code == 410 and b"This link is not valid" in tampered.data


def test_forgot_password_emails_an_account_at_most_once_in_a_short_while(make_user, client, deliver_emails, mailbox):
    make_user(ORGANISER, admin=False)
    for _ in range(3):
        post_form(client, "/forgot-password", {"email": ORGANISER})
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == 1


def test_a_deactivated_account_gets_no_reset_link_and_its_old_links_stop(app, admin, make_user, deliver_emails, mailbox):
    user = make_user(ORGANISER, admin=False)
    start_writing()
    request_password_reset(db.session, ORGANISER, now=utcnow())
    accounts.apply_account_action(db.session, "deactivate", db.session.get(User, user.id), actor=admin)
    assert not request_password_reset(db.session, ORGANISER, now=utcnow() + timedelta(hours=1))
    db.session.commit()
    deliver_emails()
    [message] = mailbox.messages
    refused = another_browser(app).get(link_in_email(message, "reset-password"))
    assert refused.status_code == 410 and b"This account is deactivated" in refused.data


# --- sessions that end for real --------------------------------------------------------------------------------

def test_sign_out_kills_a_copied_session_cookie_and_the_remember_me_cookie(app, make_user):
    make_user(ORGANISER, admin=False)
    browser = signed_in(app, remember=True)
    copy = with_cookie(app, SESSION_COOKIE, cookie(browser, SESSION_COOKIE))
    remembered = with_cookie(app, REMEMBER_COOKIE, cookie(browser, REMEMBER_COOKIE))
    assert can_see_dashboard(copy) and can_see_dashboard(remembered)
    # The copies are taken again now: the remember-me cookie signed the second browser in, with a session of its own.
    copy = with_cookie(app, SESSION_COOKIE, cookie(browser, SESSION_COOKIE))
    remembered = with_cookie(app, REMEMBER_COOKIE, cookie(browser, REMEMBER_COOKIE))

    Auth(browser).logout()

    assert not can_see_dashboard(browser)
    assert not can_see_dashboard(copy)
    assert not can_see_dashboard(remembered)


def test_a_password_change_signs_out_every_other_browser(app, make_user, client, auth):
    make_user(ORGANISER, admin=False)
    other = signed_in(app, remember=True)
    other_remembered = with_cookie(app, REMEMBER_COOKIE, cookie(other, REMEMBER_COOKIE))
    auth.login()

    wrong = post_form(client, "/account/password", {"current_password": "not my password",
                                                     "new_password": "violet mountain trail",
                                                     "confirm": "violet mountain trail"}, page_url="/account")
    assert 'id="current_password-error">This is not your current password.' in wrong.get_data(as_text=True)
    short = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "too short",
                                                     "confirm": "too short"}, page_url="/account")
    assert 'id="new_password-error">The password needs at least 10 characters' in short.get_data(as_text=True)
    assert can_see_dashboard(other)

    done = post_form(client, "/account/password", {"current_password": PASSWORD,
                                                    "new_password": "violet mountain trail",
                                                    "confirm": "violet mountain trail"}, page_url="/account")
    assert done.status_code == 302
    assert b"Your password is changed" in client.get("/account").data
    assert can_see_dashboard(client)  # this browser stays signed in
    assert not can_see_dashboard(other)
    assert not can_see_dashboard(other_remembered)
    assert signed_in_fails(app, ORGANISER, PASSWORD)


def test_deactivation_signs_the_person_out_everywhere(app, admin, make_user, auth, client):
    user = make_user(ORGANISER, admin=False)
    theirs = signed_in(app, remember=True)
    copied = with_cookie(app, SESSION_COOKIE, cookie(theirs, SESSION_COOKIE))
    remembered = with_cookie(app, REMEMBER_COOKIE, cookie(theirs, REMEMBER_COOKIE))
    auth.login(ADMIN)

    confirm = client.get(f"/admin/users/{user.id}/deactivate")
    assert confirm.status_code == 200 and b"Deactivate organiser@wtanet.org?" in confirm.data
    assert can_see_dashboard(theirs)  # the confirmation page changed nothing
    response = client.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": csrf_token(confirm)},
                           follow_redirects=True)
    assert b"organiser@wtanet.org is deactivated and signed out everywhere." in response.data

    for browser in (theirs, copied, remembered):
        assert not can_see_dashboard(browser)
    assert signed_in_fails(app, ORGANISER, PASSWORD)

    reactivate = client.get(f"/admin/users/{user.id}/reactivate")
    client.post(f"/admin/users/{user.id}/reactivate", data={"csrf_token": csrf_token(reactivate)})
    assert can_see_dashboard(signed_in(app))
    assert not can_see_dashboard(remembered)  # the old cookies stay dead


def test_sign_in_starts_a_new_session_with_a_new_csrf_token(make_user, client):
    make_user(ORGANISER, admin=False)
    login_page = client.get("/login")
    before = csrf_token(login_page)
    client.post("/login", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": before})
    after = csrf_token(client.get("/account"))
    assert after != before
    stale = client.post("/account", data={"name": "Planted", "csrf_token": before})
    assert stale.status_code == 400
    assert db.session.scalar(sa.select(User.name).where(User.email == ORGANISER)) == "Organiser"


# --- my account -------------------------------------------------------------------------------------------------

def test_everyone_changes_their_own_name(make_user, auth, client):
    make_user(ORGANISER, admin=False)
    auth.login()
    assert b"My account" in client.get("/admin/").data
    empty = post_form(client, "/account", {"name": "  "})
    assert 'id="name-error"' in empty.get_data(as_text=True)
    response = post_form(client, "/account", {"name": "Park  Ji-woo"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(User.name).where(User.email == ORGANISER)) == "Park Ji-woo"


def test_my_account_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_user_create_refuses_a_common_password(app, runner):
    with app.app_context():
        result = runner.invoke(args=["user", "create", "x@wtanet.org", "--password", "password123"])
    assert result.exit_code != 0 and "most common ones" in result.output


# --- the administrators' account pages ------------------------------------------------------------------------

def test_the_account_list_shows_everyone_with_their_status(admin, make_user, auth, client, count_queries):
    make_user(ORGANISER, admin=False)
    start_writing()
    invite_organiser(db.session, email="invited@example.org", invited_by=admin)
    for n in range(60):
        db.session.add(User(email=f"old.{n:02d}@wtanet.org", password_hash="x", active=False))
    db.session.commit()
    auth.login(ADMIN)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "Showing 1–50 of 63." in first
    assert re.search(r'invited@example.org</td>\s*<td>\s*<span class="badge warn">Invited', first)
    # Active accounts first, then the deactivated ones, each by address: the last of them is on page 2.
    assert first.index("secretariat@wtanet.org") < first.index("old.00@wtanet.org")
    assert "old.59@wtanet.org" not in first
    assert "old.59@wtanet.org" in client.get("/admin/users?page=2").get_data(as_text=True)
    assert count_queries("/admin/users") <= 6


def test_an_administrator_promotes_and_demotes_with_a_confirmation(admin, make_user, auth, client):
    user = make_user(ORGANISER, admin=False)
    auth.login(ADMIN)
    confirm = client.get(f"/admin/users/{user.id}/make-admin")
    assert b"Make organiser@wtanet.org an administrator?" in confirm.data
    assert not db.session.get(User, user.id).is_admin
    client.post(f"/admin/users/{user.id}/make-admin", data={"csrf_token": csrf_token(confirm)})
    assert db.session.get(User, user.id).is_admin
    confirm = client.get(f"/admin/users/{user.id}/remove-admin")
    client.post(f"/admin/users/{user.id}/remove-admin", data={"csrf_token": csrf_token(confirm)})
    assert not db.session.get(User, user.id).is_admin


@pytest.mark.parametrize("action", ["deactivate", "remove-admin"])
def test_an_administrator_cannot_lock_themselves_out(admin, auth, client, action):
    auth.login(ADMIN)
    page = client.get(f"/admin/users/{admin.id}/{action}")
    assert b"own account" in page.data and b'type="submit" class="button danger"' not in page.data
    response = client.post(f"/admin/users/{admin.id}/{action}", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 409 and b"own account" in response.data
    still = db.session.get(User, admin.id)
    assert still.active and still.is_admin


def test_the_last_active_administrator_is_kept(admin, make_user):
    """Only reachable when the actor is not an administrator (the pages let none in), so said by the service."""
    other = make_user(ORGANISER, admin=False)
    start_writing()
    for action in ("deactivate", "remove-admin"):
        with pytest.raises(DomainError, match="last active administrator"):
            accounts.apply_account_action(db.session, action, db.session.get(User, admin.id),
                                          actor=db.session.get(User, other.id))


def test_organisers_who_are_not_administrators_cannot_manage_accounts(admin, make_user, auth, client):
    make_user(ORGANISER, admin=False)
    auth.login()
    assert b"Accounts" not in client.get("/admin/").data
    for url in ("/admin/users", "/admin/users/invite", f"/admin/users/{admin.id}/deactivate"):
        assert client.get(url).status_code == 403
    token = csrf_token(client.get("/account"))
    for url in ("/admin/users/invite", f"/admin/users/{admin.id}/deactivate",
                f"/admin/users/{admin.id}/remove-admin", f"/admin/users/{admin.id}/resend-invitation"):
        assert client.post(url, data={"csrf_token": token, "email": "x@example.org"}).status_code == 403
    assert db.session.get(User, admin.id).active and db.session.get(User, admin.id).is_admin
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2


def test_account_pages_need_sign_in(admin, client):
    for url in ("/admin/users", "/admin/users/invite", f"/admin/users/{admin.id}/deactivate"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_action_or_account_is_not_found(admin, auth, client):
    auth.login(ADMIN)
    assert client.get(f"/admin/users/{admin.id}/delete").status_code == 404
    assert client.get("/admin/users/9999/deactivate").status_code == 404


@pytest.mark.parametrize("url", [
    "/admin/users/invite", "/admin/users/{other}/deactivate", "/admin/users/{other}/make-admin",
    "/admin/users/{invited}/resend-invitation", "/account", "/account/password", "/forgot-password",
    "/logout",
])
def test_every_account_form_needs_its_csrf_token(app, admin, make_user, auth, client, url, mailbox, deliver_emails):
    other = make_user(ORGANISER, admin=False)
    start_writing()
    invited = invite_organiser(db.session, email="invited@example.org", invited_by=admin)
    db.session.commit()
    auth.login(ADMIN)
    before = db.session.execute(sa.select(User.email, User.name, User.active, User.is_admin, User.password_hash,
                                          User.session_token).order_by(User.id)).all()
    emails = db.session.scalar(sa.select(sa.func.count(OutboxEmail.id)))
    response = client.post(url.format(other=other.id, invited=invited.id), data={
        "email": "someone@example.org", "name": "Changed", "current_password": PASSWORD,
        "new_password": "violet mountain trail", "confirm": "violet mountain trail"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.execute(sa.select(User.email, User.name, User.active, User.is_admin, User.password_hash,
                                        User.session_token).order_by(User.id)).all() == before
    assert db.session.scalar(sa.select(sa.func.count(OutboxEmail.id))) == emails


def test_invitation_and_reset_forms_need_their_csrf_token(app, admin, deliver_emails, mailbox):
    start_writing()
    invite_organiser(db.session, email="invited@example.org", invited_by=admin)
    request_password_reset(db.session, ADMIN, now=utcnow())
    db.session.commit()
    deliver_emails()
    for path, to in (("invitation", "invited@example.org"), ("reset-password", ADMIN)):
        link = link_in_email(mailbox.to(to)[0], path)
        browser = another_browser(app)
        browser.get(link)
        response = browser.post(link, data={"name": "X", "password": "violet mountain trail",
                                            "confirm": "violet mountain trail"})
        assert response.status_code == 400
    assert db.session.scalar(sa.select(User.password_hash).where(User.email == "invited@example.org")) is None
