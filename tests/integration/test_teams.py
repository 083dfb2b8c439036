"""An event's team, run by its managers: adding people by email with a role (an address without an account is
invited), changing a role, taking someone off (never the last manager, unless an administrator does it); a series'
team works on every edition; each role sees its own dashboard and the pages of its role only."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import EventKind, RegistrationMode, Series, TeamMember, TeamRole, User
from tests.conftest import csrf_token, start_writing, text_of
from tests.integration.applications_support import add_applications
from tests.integration.organiser_support import add_registrations, add_to_team
from tests.integration.organiser_support import post_form as _post_form

PASSWORD = "correct horse battery"
MANAGER = "mina.park@wtanet.org"


@pytest.fixture
def team(make_event, make_user):
    """An event run by Mina Park (a manager, not an administrator), with a reviewer on its team."""
    event = make_event(title="Workshop with a team", registration_mode=RegistrationMode.APPLICATION)
    manager = make_user(MANAGER, admin=False, name="Mina Park")
    reviewer = make_user("reviewer@wtanet.org", admin=False, name="Rita Review")
    add_to_team(event, manager, TeamRole.MANAGER)
    add_to_team(event, reviewer, TeamRole.REVIEWER)
    return event


def sign_in(auth, email: str) -> None:
    if auth.client.get("/admin/").status_code == 200:
        auth.logout()
    assert auth.login(email, PASSWORD).status_code == 302


def post_form(client, url: str, data: dict):
    return _post_form(client, url, data, follow_redirects=True)


def team_url(event) -> str:
    return f"/admin/events/{event.id}/team"


def add(client, event, email: str, role: str):
    return post_form(client, team_url(event), {"email": email, "role": role})


def member_row(html: str, email: str) -> str:
    match = re.search(r'<tr id="member-(\d+)">(.*?)</tr>', html[html.index(email) - 600:], re.S)
    assert match, email
    return match.group(0)


def member_of(event, email: str) -> TeamMember | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(TeamMember).join(User).where(TeamMember.event_id == event.id,
                                                                    User.email == email))


def test_a_manager_adds_a_colleague_with_an_account_who_is_told_by_email_and_sees_the_event(
        team, make_user, auth, client, mailbox, deliver_emails):
    make_user("kim@wtanet.org", admin=False, name="Kim Lee")
    sign_in(auth, MANAGER)

    page = add(client, team, "Kim@WTAnet.org ", "viewer")

    assert "kim@wtanet.org is on the team as viewer, and is told so by email." in page.get_data(as_text=True)
    assert member_of(team, "kim@wtanet.org").role is TeamRole.VIEWER
    deliver_emails()
    [email] = mailbox.to("kim@wtanet.org")
    assert email["Subject"] == "You are on the team of Workshop with a team"
    text = text_of(email)
    assert "Mina Park added you to the team of Workshop with a team as viewer: read-only lists" in text
    dashboard = re.search(r"http://localhost(/admin/)", text).group(1)

    sign_in(auth, "kim@wtanet.org")
    page = client.get(dashboard).get_data(as_text=True)
    assert "Workshop with a team" in page and ">Viewer<" in page


def test_an_address_without_an_account_is_invited(team, auth, client, mailbox, deliver_emails):
    sign_in(auth, MANAGER)

    add(client, team, "newcomer@example.org", "reviewer")

    user = db.session.scalar(sa.select(User).where(User.email == "newcomer@example.org"))
    assert user is not None and user.password_hash is None  # nobody signs in until the invitee sets one
    assert member_of(team, "newcomer@example.org").role is TeamRole.REVIEWER
    deliver_emails()
    texts = [text_of(email).replace("\n", " ") for email in mailbox.to("newcomer@example.org")]
    assert len(texts) == 2
    [added] = [text for text in texts if "a separate email invites you to set your password" in text]
    [invitation] = [text for text in texts if text is not added]
    path = re.search(r"http://localhost(/invitation/[A-Za-z0-9._-]+)", invitation)
    assert path, invitation
    assert client.get(path.group(1)).status_code == 200  # the invitation's link opens the set-a-password page


def test_bad_input_is_shown_next_to_the_field_and_adds_nobody(team, auth, client):
    sign_in(auth, MANAGER)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember))

    missing = add(client, team, "", "")
    twice = add(client, team, "reviewer@wtanet.org", "viewer")

    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert "Please give the person&#39;s email address." in text and "Please choose what they will do" in text
    assert twice.status_code == 422
    assert "reviewer@wtanet.org is on the team already, as reviewer." in twice.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMember)) == before


def test_a_deactivated_account_is_not_added_and_not_emailed(team, make_user, auth, client, mailbox, deliver_emails):
    start_writing()
    gone = make_user("gone@wtanet.org", admin=False, name="Gone Person")
    gone.active = False
    db.session.commit()
    sign_in(auth, MANAGER)

    refused = add(client, team, "gone@wtanet.org", "reviewer")

    assert refused.status_code == 422
    assert "The account of gone@wtanet.org is deactivated." in refused.get_data(as_text=True)
    assert member_of(team, "gone@wtanet.org") is None
    deliver_emails()
    assert mailbox.to("gone@wtanet.org") == []


def test_a_manager_changes_a_role_and_removes_someone_after_confirming(team, auth, client):
    sign_in(auth, MANAGER)
    reviewer = member_of(team, "reviewer@wtanet.org")
    page = client.get(team_url(team)).get_data(as_text=True)
    assert f'action="/admin/events/{team.id}/team/{reviewer.id}/role"' in member_row(page, "reviewer@wtanet.org")

    page = post_form(client, f"/admin/events/{team.id}/team/{reviewer.id}/role", {"role": "check_in"})
    assert "reviewer@wtanet.org is now check-in staff." in page.get_data(as_text=True)
    assert member_of(team, "reviewer@wtanet.org").role is TeamRole.CHECK_IN

    confirm = client.get(f"/admin/events/{team.id}/team/{reviewer.id}/remove").get_data(as_text=True)
    assert "Take Rita Review off the team?" in confirm
    assert member_of(team, "reviewer@wtanet.org") is not None  # asking changes nothing
    page = post_form(client, f"/admin/events/{team.id}/team/{reviewer.id}/remove", {})
    assert "reviewer@wtanet.org is no longer on the team." in page.get_data(as_text=True)
    assert member_of(team, "reviewer@wtanet.org") is None


def test_the_last_manager_stays_unless_an_administrator_takes_them_off(team, make_user, auth, client):
    sign_in(auth, MANAGER)
    me = member_of(team, MANAGER)

    page = post_form(client, f"/admin/events/{team.id}/team/{me.id}/remove", {})
    assert "is the last manager: add another manager before you remove them." in page.get_data(as_text=True)
    page = post_form(client, f"/admin/events/{team.id}/team/{me.id}/role", {"role": "viewer"})
    assert "is the last manager: add another manager before you make them something else." in page.get_data(
        as_text=True)
    assert member_of(team, MANAGER).role is TeamRole.MANAGER

    make_user("admin@wtanet.org", admin=True)
    sign_in(auth, "admin@wtanet.org")
    post_form(client, f"/admin/events/{team.id}/team/{me.id}/remove", {})
    assert member_of(team, MANAGER) is None


def test_a_deactivated_manager_does_not_count_as_another_manager(team, make_user, auth, client):
    start_writing()
    former = make_user("former@wtanet.org", admin=False, name="Former Manager")
    add_to_team(team, former, TeamRole.MANAGER)
    start_writing()
    db.session.get(User, former.id).active = False  # left the organisation: cannot sign in any more
    db.session.commit()
    sign_in(auth, MANAGER)
    me = member_of(team, MANAGER)

    page = post_form(client, f"/admin/events/{team.id}/team/{me.id}/role", {"role": "viewer"})

    assert "is the last manager: add another manager" in page.get_data(as_text=True)
    assert member_of(team, MANAGER).role is TeamRole.MANAGER


def test_only_managers_open_the_team_page(team, auth, client):
    sign_in(auth, "reviewer@wtanet.org")
    assert client.get(team_url(team)).status_code == 403
    page = client.post(team_url(team), data={"email": "x@example.org", "role": "manager",
                                             "csrf_token": csrf_token(client.get("/admin/"))})
    assert page.status_code == 403 and member_of(team, "x@example.org") is None


def test_a_series_role_reaches_every_edition_and_nothing_else(make_event, make_user, auth, client):
    start_writing()
    series = Series(name="Training Workshops", slug="itw", code="ITW", kind=EventKind.INTERNATIONAL_WORKSHOP,
                    first_year=2000, title_pattern="{name}: {theme}")
    db.session.add(series)
    db.session.commit()
    first = make_event(title="Edition one", series_id=series.id, series_year=2030,
                       registration_mode=RegistrationMode.APPLICATION)
    second = make_event(title="Edition two", series_id=series.id, series_year=2031)
    elsewhere = make_event(title="Not in the series")
    reviewer = make_user("series.reviewer@wtanet.org", admin=False)
    make_user("admin@wtanet.org", admin=True)
    add_applications(first, 1)
    add_registrations(second, 1)

    sign_in(auth, "admin@wtanet.org")
    page = post_form(client, f"/admin/series/{series.id}/team", {"email": reviewer.email, "role": "reviewer"})
    assert "series.reviewer@wtanet.org is on the team as reviewer" in page.get_data(as_text=True)
    edition_team = client.get(team_url(first)).get_data(as_text=True)
    assert "From the series’ team" in edition_team and "series.reviewer@wtanet.org" in edition_team

    sign_in(auth, reviewer.email)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Edition one" in dashboard and "Edition two" in dashboard and "Not in the series" not in dashboard
    assert client.get(f"/admin/events/{first.id}/applications").status_code == 200
    assert client.get(f"/admin/events/{second.id}/attendees").status_code == 403  # a reviewer reads no lists
    assert client.get(f"/admin/events/{elsewhere.id}/applications").status_code == 404
    assert client.get(f"/admin/series/{series.id}/team").status_code == 404  # only its managers run the team


@pytest.mark.parametrize("role, links, not_links", [
    ("manager", ["Attendees", "Applications", "Check-in", "Edit", "Team"], []),
    ("reviewer", ["Applications"], ["Attendees", "Check-in", ">Edit<", "Team"]),
    ("check_in", ["Check-in"], ["Attendees", "Applications", ">Edit<", "Team"]),
    ("viewer", ["Attendees"], ["Check-in", ">Edit<", "Team"]),
])
def test_the_dashboard_shows_each_role_its_events_and_only_the_pages_it_may_open(
        role, links, not_links, make_event, make_user, auth, client):
    event = make_event(title="Their workshop", registration_mode=RegistrationMode.APPLICATION)
    make_event(title="Someone else's forum")
    user = make_user(f"{role}@wtanet.org", admin=False)
    add_to_team(event, user, TeamRole(role))
    sign_in(auth, user.email)

    page = client.get("/admin/").get_data(as_text=True)

    assert "Their workshop" in page and "Someone else&#39;s forum" not in page
    assert f">{TeamRole(role).label}<" in page
    row = page[page.index("Their workshop"):page.index("</tr>", page.index("Their workshop"))]
    for link in links:
        assert link in row, link
    for link in not_links:
        assert link not in row, link
    assert ("New event" in page) is (role == "manager")  # only managers and administrators create events


def test_the_event_tabs_show_only_what_the_role_may_open(team, auth, client):
    sign_in(auth, "reviewer@wtanet.org")
    page = client.get(f"/admin/events/{team.id}/applications").get_data(as_text=True)
    nav = page[page.index('<nav class="event-nav"'):page.index("</nav>", page.index('<nav class="event-nav"'))]
    assert ">Applications<" in nav
    for tab in ("Attendees", "Documents", "Check-in", "Emails", "Team"):
        assert f">{tab}<" not in nav, tab


def test_a_viewer_reads_the_lists_without_exports_buttons_or_passport_data(make_event, make_user, auth, client):
    from tests.integration.documents_support import visa_fields

    event = make_event(title="Workshop with visas")
    viewer = make_user("viewer@wtanet.org", admin=False)
    add_to_team(event, viewer, TeamRole.VIEWER)
    [person] = add_registrations(event, 1, needs_visa_letter=True)
    start_writing()
    from datetime import date

    from app.models import VisaRequest

    fields = visa_fields()
    db.session.add(VisaRequest(registration_id=person.id, passport_name=fields["visa_passport_name"],
                               nationality="SN", passport_number="A1234567", date_of_birth=date(1984, 5, 17),
                               passport_expiry=date(2035, 1, 1)))
    db.session.commit()
    sign_in(auth, viewer.email)

    listing = client.get(f"/admin/events/{event.id}/attendees").get_data(as_text=True)
    assert person.email in listing
    for hidden in ("Download CSV", "Edit event", "Print badges", "Email these people", ">Cancel<"):
        assert hidden not in listing, hidden
    page = client.get(f"/admin/events/{event.id}/attendees/{person.id}").get_data(as_text=True)
    assert person.family_name in page
    assert "A1234567" not in page and "DIALLO AMINA" not in page
    assert "Shown to the event's managers only" in page
    assert "Email them their personal link" not in page
    assert client.get(f"/admin/events/{event.id}/attendees.csv").status_code == 403
    assert client.get(f"/admin/events/{event.id}/documents/visa.csv").status_code == 403


def test_check_in_staff_see_the_attendance_counts_but_no_lists_or_exports(make_event, make_user, auth, client):
    event = make_event(title="Forum at the door")
    staff = make_user("door@wtanet.org", admin=False)
    add_to_team(event, staff, TeamRole.CHECK_IN)
    [person] = add_registrations(event, 1)
    sign_in(auth, staff.email)

    page = client.get(f"/admin/events/{event.id}/attendance").get_data(as_text=True)
    assert person.reference in page
    assert f"/attendees/{person.id}" not in page and "Download CSV" not in page
    assert client.get(f"/admin/events/{event.id}/check-in/counts.json").status_code == 200
    assert client.get(f"/admin/events/{event.id}/attendance.csv").status_code == 403
    assert client.get(f"/admin/events/{event.id}/programme").status_code == 403
