"""Who may open which organiser page and press which button: every route of the URL map, for each kind of person.

The people: nobody signed in, an administrator, the manager of another event, and the four roles on the team
of the event the routes are about (manager, reviewer, check-in staff, viewer). The expected table is below
(endpoint -> who may); a route missing from it fails the test, naming the route, so that every new route is
classified. A page is opened with GET; an action is sent with POST, with a form that would change things (the
CSRF token of the person's own session). A refused action changes nothing in the
database. Expected refusals: the sign-in page for nobody, 404 for someone with no role on the event (they learn
nothing), 403 for a team member whose role does not allow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask, current_app, url_for
from flask.testing import FlaskClient

from app.extensions import db
from app.models import (
    Base,
    CheckIn,
    CorrectionRequest,
    Event,
    EventKind,
    EventStatus,
    Message,
    OutboxEmail,
    QuestionKind,
    RegistrationMode,
    Series,
    TeamMember,
    TeamRole,
    Upload,
    User,
    VisaRequest,
    VisaRequestStatus,
    utcnow,
)
from app.services.mail import notifications
from app.services.questions.uploads import path_of
from tests.conftest import _empty_all_tables, csrf_token, start_writing
from tests.integration.applications_support import add_applications
from tests.integration.documents_support import attend
from tests.integration.organiser_support import add_registrations
from tests.integration.programme_support import add_session
from tests.integration.questions_support import add_question

PASSWORD = "correct horse battery"
M, R, C, V = TeamRole.MANAGER, TeamRole.REVIEWER, TeamRole.CHECK_IN, TeamRole.VIEWER
EVERY_ROLE = frozenset(TeamRole)
MANAGERS = frozenset({M})
LISTS = frozenset({M, V})
REVIEWING = frozenset({M, R})
REVIEW_OR_LISTS = frozenset({M, R, V})
CHECKING_IN = frozenset({M, C})
ATTENDANCE = frozenset({M, C, V})

# Pages of one event (the address holds its id): which team roles may. Administrators may everything.
EVENT_ROUTES: dict[str, frozenset[TeamRole]] = {
    # the attendee list, a registration, and what managers do with them
    "organiser.attendees": LISTS,
    "organiser.registration": LISTS,
    "organiser.attendees_csv": MANAGERS,
    "organiser.attendees_xlsx": MANAGERS,
    "organiser.set_role": MANAGERS,
    "organiser.confirm_registration": MANAGERS,
    "organiser.cancel_registration": MANAGERS,
    "organiser.send_personal_link": MANAGERS,
    "organiser.edit_registration": MANAGERS,
    "organiser.resolve_correction": MANAGERS,
    # applications: reviewers read and score; deciding and exporting is the managers'
    "organiser.applications": REVIEW_OR_LISTS,
    "organiser.review_application": REVIEW_OR_LISTS,  # GET; scoring (POST) is REVIEWING, see POST_ROUTES
    "organiser.decide_applications": MANAGERS,
    "organiser.decide_travel_support": MANAGERS,
    "organiser.decide_travel_in_bulk": MANAGERS,
    "organiser.set_travel_budget": MANAGERS,
    "organiser.selection_overview": MANAGERS,
    "organiser.accepted_csv": MANAGERS,
    "organiser.accepted_xlsx": MANAGERS,
    "organiser.download_upload": REVIEW_OR_LISTS,
    "organiser.application_confirmations": MANAGERS,
    "organiser.release_unconfirmed": MANAGERS,
    "organiser.application_files_zip": MANAGERS,
    "organiser.mark_duplicate": MANAGERS,
    "organiser.undo_duplicate": MANAGERS,
    # check-in and attendance
    "organiser.checkin_page": CHECKING_IN,
    "organiser.checkin_counts": ATTENDANCE,
    "organiser.undo_check_in": CHECKING_IN,
    "organiser.attendance": ATTENDANCE,
    "organiser.attendance_csv": MANAGERS,
    "organiser.attendance_xlsx": MANAGERS,
    # the programme: read by viewers, changed by managers
    "organiser.programme": LISTS,
    "organiser.session_people": LISTS,
    "organiser.session_people_csv": MANAGERS,
    "organiser.session_people_xlsx": MANAGERS,
    "organiser.new_session": MANAGERS,
    "organiser.edit_session": MANAGERS,
    "organiser.delete_session": MANAGERS,
    # the event itself, its form, documents (passport data), emails, messages, team: managers only
    "organiser.edit_event": MANAGERS,
    "organiser.publish_event": MANAGERS,
    "organiser.cancel_event": MANAGERS,
    "organiser.delete_event": MANAGERS,
    "organiser.questions": MANAGERS,
    "organiser.new_question": MANAGERS,
    "organiser.edit_question": MANAGERS,
    "organiser.move_question": MANAGERS,
    "organiser.remove_question": MANAGERS,
    "organiser.preview_questions": MANAGERS,
    "organiser.documents": MANAGERS,
    "organiser.document_preview": MANAGERS,
    "organiser.document_wording": MANAGERS,
    "organiser.document_images_update": MANAGERS,
    "organiser.document_images_copy": MANAGERS,
    "organiser.document_image": MANAGERS,
    "organiser.approve_visa_request": MANAGERS,
    "organiser.approve_all_visa_requests": MANAGERS,
    "organiser.visa_letter": MANAGERS,
    "organiser.visa_requests_csv": MANAGERS,
    "organiser.visa_requests_xlsx": MANAGERS,
    "organiser.delete_passport_data": MANAGERS,
    "organiser.badges_pdf": MANAGERS,
    "organiser.issue_certificates": MANAGERS,
    "organiser.issue_certificate": MANAGERS,
    "organiser.certificate_pdf": MANAGERS,
    "organiser.emails": MANAGERS,
    "organiser.email": MANAGERS,
    "organiser.email_html": MANAGERS,
    "organiser.resend_email": MANAGERS,
    "organiser.event_email_texts": MANAGERS,
    "organiser.event_email_text": MANAGERS,
    "organiser.event_email_text_reset": MANAGERS,
    "organiser.messages_list": MANAGERS,
    "organiser.message_new": MANAGERS,
    "organiser.reminder_new": MANAGERS,
    "organiser.message_edit": MANAGERS,
    "organiser.message_send": MANAGERS,
    "organiser.message_delete": MANAGERS,
    "organiser.event_team": MANAGERS,
    "organiser.event_team_role": MANAGERS,
    "organiser.event_team_remove": MANAGERS,
    "organiser.event_log": MANAGERS,
    "organiser.privacy": MANAGERS,
    "organiser.anonymise_registration": MANAGERS,
    "organiser.statistics": MANAGERS,
    "organiser.participation_report_pdf": MANAGERS,
    "organiser.participation_report_xlsx": MANAGERS,
    "organiser.finance_xlsx": MANAGERS,
    "organiser.registration_history": MANAGERS,
}
# A route whose POST needs more than its GET.
POST_ROUTES: dict[str, frozenset[TeamRole]] = {"organiser.review_application": REVIEWING}

# Routes not about one event: who may, by kind of person.
SIGNED_IN = "anyone signed in"
ADMINS = "administrators only (403 for others)"
CREATORS = "administrators and anyone who manages an event (403 for others)"
SERIES_MANAGERS = "administrators and the series' managers (404 for others)"
EDITION_MANAGERS = "administrators and the managers of the latest edition (403 for others)"
OTHER_ROUTES: dict[str, str] = {
    "organiser.dashboard": SIGNED_IN,
    "organiser.series_list": SIGNED_IN,
    "organiser.series": SIGNED_IN,  # shows only the editions the person has a role on
    "organiser.new_event": CREATORS,
    "organiser.new_series": ADMINS,
    "organiser.edit_series": ADMINS,
    "organiser.add_edition": ADMINS,
    "organiser.series_email_texts": ADMINS,
    "organiser.series_email_text": ADMINS,
    "organiser.series_email_text_reset": ADMINS,
    "organiser.create_next_edition": EDITION_MANAGERS,
    "organiser.series_team": SERIES_MANAGERS,
    "organiser.series_team_role": SERIES_MANAGERS,
    "organiser.series_team_remove": SERIES_MANAGERS,
    "organiser.users": ADMINS,
    "organiser.invite_user": ADMINS,
    "organiser.user_action": ADMINS,
    "organiser.resend_user_invitation": ADMINS,
}
# Signed-in routes outside the organiser pages.
SIGNED_IN_ELSEWHERE = {"auth.logout"}

# Allowed, but the small data set has nothing for it: the page answers "not found" for that reason.
NOTHING_TO_SHOW = {
    "organiser.document_image": "no signature image uploaded",
    "organiser.certificate_pdf": "nobody has a certificate",
}

PEOPLE = ["anonymous", "admin", "stranger", "manager", "reviewer", "check_in", "viewer"]
ROLE_OF = {"manager": M, "reviewer": R, "check_in": C, "viewer": V}
# What a refused POST sends: enough for any form to change something if it were let through.
FORM = {"email": "new.member@example.org", "role": "manager", "decision": "accept", "confirmed": "y",
        "score": "5", "notes": "Strong case", "code": "ITW", "direction": "up", "subject": "News",
        "body": "Hello", "title": "Changed", "capacity": "3", "reason": "Weather", "granted_amount": "100",
        "granted_currency": "USD", "note": "ok", "label": "Changed question"}


@dataclass
class Ids:
    values: dict[str, int | str]
    event_id: int


def build() -> Ids:
    """The data set: an application-mode edition of a series, with one of everything the routes take an id of,
    its team (one per role, plus a helper whose membership the team routes change), and another event."""
    start_writing()
    series = Series(name="Training Workshops", slug="itw", code="ITW", kind=EventKind.INTERNATIONAL_WORKSHOP,
                    first_year=2000)
    db.session.add(series)
    db.session.commit()
    users = {name: _user(f"{name}@wtanet.org", admin=name == "admin") for name in PEOPLE if name != "anonymous"}
    helper = _user("helper@wtanet.org")
    event = _event("Matrix workshop", "matrix", "MTX", series_id=series.id, series_year=2030,
                   registration_mode=RegistrationMode.APPLICATION)
    other = _event("Other forum", "other", "OTH")
    start_writing()
    for name, role in ROLE_OF.items():
        db.session.add(TeamMember(event_id=event.id, user_id=users[name].id, role=role))
    member = TeamMember(event_id=event.id, user_id=helper.id, role=V)
    series_member = TeamMember(series_id=series.id, user_id=helper.id, role=V)
    db.session.add_all([member, series_member,
                        TeamMember(event_id=other.id, user_id=users["stranger"].id, role=M)])
    db.session.commit()
    [applicant] = add_applications(event, 1)
    [confirmed] = add_registrations(event, 1)
    question = add_question(event, QuestionKind.FILE, "Your CV")
    start_writing()
    visa = VisaRequest(registration_id=applicant.id, status=VisaRequestStatus.REQUESTED, passport_name="DIALLO AMINA",
                       nationality="SN", passport_number="A1234567", date_of_birth=date(1984, 5, 17),
                       passport_expiry=date.today() + timedelta(days=1000))
    upload = Upload(registration_id=applicant.id, question_id=question.id, stored_name=f"matrix-{applicant.id}.pdf",
                    original_filename="cv.pdf", size=8, sha256="0" * 64)
    message = Message(event_id=event.id, subject="News", body="Hello", audience={})
    correction = CorrectionRequest(registration_id=applicant.id, message="My name is Aminata, not Amina.")
    db.session.add_all([visa, upload, message, correction])
    notifications.queue(db.session, confirmed, "registration_confirmed")
    db.session.commit()
    path = path_of(current_app.config["UPLOAD_FOLDER"], upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4")
    attend(event, confirmed, 1)
    programme_session = add_session(event)
    values: dict[str, int | str] = {
        "event_id": event.id, "series_id": series.id, "registration_id": applicant.id, "request_id": visa.id,
        "session_id": programme_session.id, "question_id": question.id, "upload_id": upload.id,
        "message_id": message.id, "member_id": member.id, "series_member_id": series_member.id,
        "email_id": db.session.scalar(sa.select(OutboxEmail.id)),
        "check_in_id": db.session.scalar(sa.select(CheckIn.id)),
        "user_id": helper.id, "action": "deactivate", "correction_id": correction.id,
    }
    return Ids(values, event.id)


def _user(email: str, *, admin: bool = False) -> User:
    from app.services.people.users import create_user

    start_writing()
    user = create_user(db.session, email, PASSWORD, is_admin=admin)
    db.session.commit()
    return user


def _event(title: str, slug: str, code: str, **values) -> Event:
    now = utcnow()
    start_writing()
    event = Event(kind=EventKind.INTERNATIONAL_WORKSHOP, title=title, slug=slug, code=code, country="KR",
                  starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=34),
                  registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=20),
                  capacity=20, status=EventStatus.PUBLISHED, contact_email="training@wtanet.org", **values)
    db.session.add(event)
    db.session.commit()
    return event


# Which value fills a route's <kind>.
KINDS = {"organiser.document_preview": "badge", "organiser.document_image": "signature"}


def url_of(app: Flask, rule, ids: Ids) -> str:
    values = {name: (KINDS.get(rule.endpoint, "registration_confirmed") if name == "kind" else ids.values[name])
              for name in rule.arguments}
    if rule.endpoint.startswith("organiser.series_team"):
        values["member_id"] = ids.values["series_member_id"]
    if rule.endpoint == "organiser.resolve_correction":
        values["request_id"] = ids.values["correction_id"]
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def fingerprint() -> dict[str, list]:
    """Every row of every table: a refused action must leave all of them as they were."""
    db.session.commit()
    with db.engine.connect() as conn:
        return {table.name: sorted(map(repr, conn.execute(sa.select(table)).all()))
                for table in Base.metadata.sorted_tables}


def expected(person: str, endpoint: str, method: str, is_event_route: bool) -> str:
    """'allowed', 'login', 'not found' or 'forbidden'."""
    if person == "anonymous":
        return "login"
    if person == "admin":
        return "allowed"
    role = ROLE_OF.get(person)
    if is_event_route:
        if role is None:
            return "not found"
        allowed = POST_ROUTES.get(endpoint, EVENT_ROUTES[endpoint]) if method == "POST" else EVENT_ROUTES[endpoint]
        return "allowed" if role in allowed else "forbidden"
    rule = OTHER_ROUTES[endpoint]
    if rule == SIGNED_IN:
        return "allowed"
    if rule == CREATORS:
        return "allowed" if person in ("manager", "stranger") else "forbidden"
    if rule == EDITION_MANAGERS:
        return "allowed" if person == "manager" else "forbidden"
    if rule == SERIES_MANAGERS:
        return "not found"
    return "forbidden"


def outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 404:
        return "not found"
    return "allowed" if response.status_code < 500 else f"error {response.status_code}"


def organiser_rules(app: Flask) -> list:
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("organiser.")),
                  key=lambda rule: rule.endpoint)


def test_every_organiser_route_is_in_the_table(app):
    rules = organiser_rules(app)
    unclassified = sorted({r.endpoint for r in rules} - set(EVENT_ROUTES) - set(OTHER_ROUTES))
    assert not unclassified, (
        f"Routes missing from the authorization table: {unclassified}. Add each to EVENT_ROUTES (with the team "
        f"roles that may use it) or OTHER_ROUTES in {__file__}, and give its view the matching access check.")
    for rule in rules:
        assert ("event_id" in rule.arguments) == (rule.endpoint in EVENT_ROUTES), rule.endpoint
    gone = (set(EVENT_ROUTES) | set(OTHER_ROUTES)) - {r.endpoint for r in rules}
    assert not gone, f"the table names routes that no longer exist: {sorted(gone)}"
    login_required = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint in SIGNED_IN_ELSEWHERE}
    assert login_required == SIGNED_IN_ELSEWHERE


def browser_of(app: Flask, person: str) -> tuple[FlaskClient, str]:
    """A fresh browser for the person, signed in (again after each rebuild of the data set), and the CSRF
    token its forms carry."""
    client = app.test_client()
    token = csrf_token(client.get("/login"))
    if person == "anonymous":
        return client, token
    response = client.post("/login", data={"email": f"{person}@wtanet.org", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, f"{person} could not sign in"
    return client, csrf_token(client.get("/admin/"))


def _checks(app: Flask) -> Iterator[tuple[object, str]]:
    for rule in organiser_rules(app):
        for method in ("GET", "POST"):
            if method in rule.methods:
                yield rule, method


@pytest.mark.parametrize("person", PEOPLE)
def test_each_route_allows_or_refuses_each_person_as_the_table_says(app, client, person):
    ids = build()
    client, token = browser_of(app, person)
    wrong = []
    for rule, method in _checks(app):
        is_event_route = "event_id" in rule.arguments
        want = expected(person, rule.endpoint, method, is_event_route)
        url = url_of(app, rule, ids)
        before = fingerprint() if method == "POST" and want != "allowed" else None
        response = client.get(url) if method == "GET" else client.post(url, data={**_form(ids), "csrf_token": token})
        got = outcome(response)
        response.get_data()  # a streamed download runs to its end (and its errors show) before the next request
        response.close()
        if want == "allowed" and got == "not found" and rule.endpoint in NOTHING_TO_SHOW:
            got = "allowed"  # let in, and told there is nothing to show
        if got != want:
            wrong.append(f"{method} {rule.endpoint} ({url}): expected {want}, got {got} ({response.status_code})")
        if before is not None:
            after = fingerprint()
            changed = [name for name in before if before[name] != after[name]]
            if changed:
                wrong.append(f"refused POST {rule.endpoint} changed {changed}")
        if method == "POST" and want == "allowed":
            # The action went through: start again from the same data set for the next route.
            db.session.remove()
            _empty_all_tables()
            ids = build()
            client, token = browser_of(app, person)
    assert not wrong, f"{person}:\n" + "\n".join(wrong)


def _form(ids: Ids) -> dict:
    return {**FORM, "registration": str(ids.values["registration_id"])}
