"""Every public, participant and organiser page of the demo, in Chromium and in both languages (English, then
Korean as chosen with the switcher): no axe-core violation,
no error from the W3C Nu HTML checker, and no sideways scrolling on a 390 px phone.

The pages are the app's GET routes filled with real ids from `seed-demo` (PAGES below). A GET route
that is neither in PAGES nor in SKIPPED (with its reason) fails
test_every_get_route_is_visited_or_skipped_with_a_reason, so a new page is checked from the day it
is added. Run alone with `.venv/bin/pytest tests/e2e/test_every_page.py`. The checkers come from
`npm ci` (package.json: axe-core, vnu-jar) and need Java; without them, or without Chromium, the
checks skip with the reason (and fail under STRICT_SKIPS, as in CI).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask, url_for

from app import demo
from app.database import begin_write
from app.extensions import db
from app.i18n import LANGUAGE_COOKIE
from app.models import (
    Application,
    ApplicationStatus,
    Certificate,
    CheckIn,
    ChoiceStatus,
    CorrectionRequest,
    Event,
    EventKind,
    EventStatus,
    Message,
    OutboxEmail,
    OutboxStatus,
    ProgrammeSession,
    Question,
    Registration,
    RegistrationStatus,
    ReplacedDocument,
    Series,
    SessionChoice,
    TeamMember,
    TeamRole,
    User,
    VisaRequest,
    VisaRequestStatus,
    utcnow,
)
from app.services.events.series_editions import create_next_edition
from app.services.mail import notifications
from app.services.people.account_links import LinkPurpose, make_link_token
from app.services.registration.tokens import participant_token
from tests.conftest import _empty_all_tables
from tests.e2e.conftest import serving, sign_in

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15 held upright
SECONDS_PER_PAGE = 2.0

# GET routes that are not pages a person reads: each with the reason it is not checked here.
SKIPPED = {
    "static": "stylesheets, scripts and images, not pages",
    "public.favicon": "the site icon, not a page (its link on every page is checked: no page may request a missing file)",
    "public.event_calendar": "download: iCalendar file",
    "public.programme_feed": "download: iCalendar file",
    "public.language": "the language switcher's target: sets a cookie and redirects back (tests/i18n/test_languages.py)",
    "participant.calendar": "download: iCalendar file",
    "participant.my_data_json": "download: JSON (its content: tests/integration/test_privacy_participant.py)",
    "participant.certificate": "download: PDF",
    "participant.visa_letter": "download: PDF",
    "participant.download_upload": "download: the participant's own uploaded file",
    "organiser.accepted_csv": "download: CSV",
    "organiser.accepted_xlsx": "download: XLSX",
    "organiser.application_files_zip": "download: ZIP of the applications' uploaded files",
    "organiser.attendance_csv": "download: CSV",
    "organiser.attendees_csv": "download: CSV",
    "organiser.session_people_csv": "download: CSV",
    "organiser.visa_requests_csv": "download: CSV",
    "organiser.certificate_pdf": "download: PDF",
    "organiser.badges_pdf": "download: PDF",
    "organiser.document_preview": "download: PDF",
    "organiser.visa_letter": "download: PDF",
    "organiser.download_upload": "download: a participant's uploaded file",
    "organiser.checkin_counts": "JSON polled by the check-in page, not a page",
    "organiser.attendees_xlsx": "download: XLSX",
    "organiser.attendance_xlsx": "download: XLSX",
    "organiser.session_people_xlsx": "download: XLSX",
    "organiser.visa_requests_xlsx": "download: XLSX",
    "organiser.document_image": "download: the event's signature or stamp image",
    "organiser.email_html": "an email's HTML as sent, shown framed on the email's page (organiser.email)",
    "organiser.participation_report_pdf": "download: PDF",
    "organiser.participation_report_xlsx": "download: XLSX",
    "organiser.finance_xlsx": "download: XLSX",
}


@dataclass(frozen=True)
class Visit:
    endpoint: str
    url: str
    who: str  # "public" and "participant" pages are visited signed out, "organiser" pages signed in
    session: dict | None = None  # the Flask session to have (the confirmation page after registering)
    submit: str | None = None  # a form to send empty once loaded, to check the page showing its errors

    @property
    def name(self) -> str:
        return self.url + (" (sent empty)" if self.submit else "")


@dataclass
class Demo:
    """The demo's events and people, one of each kind a page can show differently."""

    application_workshop: Event
    open_workshop: Event
    not_yet_open_workshop: Event
    open_forum: Event
    past_forum: Event
    draft: Event  # the next workshop edition, just created, not published
    series: list[Series]
    applications: dict[ApplicationStatus, Registration]  # one applicant per decision state
    forum_confirmed: Registration  # with a seat in a session
    waitlisted: Registration  # on a full workshop's waiting list
    forum_cancelled: Registration
    workshop_confirmed: Registration
    certified: Certificate
    visa: dict[VisaRequestStatus, VisaRequest]
    session: ProgrammeSession
    question: Question
    check_in: CheckIn
    emails: list[OutboxEmail]  # a sent and a failed one (the demo queues none: _email_history adds them)
    organiser: User  # the demo's administrator, whom the organiser pages are visited as
    invited: User  # an invitation not taken up yet, and a deactivated account (_accounts adds them)
    deactivated: User
    messages: list[Message]  # sent, draft and reminders
    team_member: TeamMember  # someone on the application workshop's own team
    series_member: TeamMember  # someone on the forum series' team
    correction: CorrectionRequest  # an open one: shown on the attendee list and the registration's page
    replaced: ReplacedDocument  # a certificate issued again after a name was corrected
    deletion_requested: Registration  # cancelled, then asked for their data to be deleted
    expired: Registration  # of a forum edition years ago: its personal link no longer works

    @property
    def events(self) -> list[Event]:
        return [self.application_workshop, self.open_workshop, self.not_yet_open_workshop, self.open_forum,
                self.past_forum, self.draft]


def _load_demo() -> Demo:
    s = db.session
    events = list(s.scalars(sa.select(Event).where(Event.status != EventStatus.DRAFT).order_by(Event.starts_at)))
    [application_workshop] = [e for e in events if e.takes_applications]
    [open_workshop] = [e for e in events if e.kind is EventKind.NATIONAL_WORKSHOP]
    [not_yet_open] = [e for e in events if e.kind is EventKind.REGIONAL_WORKSHOP]
    *_, past_forum, open_forum = [e for e in events if e.kind is EventKind.FORUM]

    def registration(event: Event, *where) -> Registration:
        return s.scalars(sa.select(Registration).where(Registration.event_id == event.id, *where)
                         .order_by(Registration.id).limit(1)).one()

    applications = {
        status: registration(application_workshop, Registration.application.has(Application.status == status))
        for status in s.scalars(sa.select(sa.distinct(Application.status)))
    }
    with_seat = sa.select(SessionChoice.registration_id).where(SessionChoice.status == ChoiceStatus.CONFIRMED)
    return Demo(
        application_workshop=application_workshop,
        open_workshop=open_workshop,
        not_yet_open_workshop=not_yet_open,
        open_forum=open_forum,
        past_forum=past_forum,
        draft=s.scalars(sa.select(Event).where(Event.status == EventStatus.DRAFT)).one(),
        series=list(s.scalars(sa.select(Series).order_by(Series.id))),
        applications=applications,
        forum_confirmed=registration(open_forum, Registration.status == RegistrationStatus.CONFIRMED,
                                     Registration.id.in_(with_seat)),
        waitlisted=registration(open_workshop, Registration.status == RegistrationStatus.WAITLISTED),
        forum_cancelled=registration(open_forum, Registration.status == RegistrationStatus.CANCELLED),
        workshop_confirmed=registration(open_workshop, Registration.status == RegistrationStatus.CONFIRMED),
        certified=s.scalars(sa.select(Certificate).order_by(Certificate.id).limit(1)).one(),
        visa={request.status: request for request in s.scalars(sa.select(VisaRequest).order_by(VisaRequest.id.desc()))},
        session=s.scalars(sa.select(ProgrammeSession).where(ProgrammeSession.event_id == open_forum.id)
                          .order_by(ProgrammeSession.id).limit(1)).one(),
        question=s.scalars(sa.select(Question).where(Question.event_id == application_workshop.id)
                           .order_by(Question.id).limit(1)).one(),
        check_in=s.scalars(sa.select(CheckIn).join(Registration).where(Registration.event_id == past_forum.id)
                           .order_by(CheckIn.id).limit(1)).one(),
        emails=list(s.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id))),
        organiser=s.scalars(sa.select(User).where(User.email == demo.DEMO_EMAIL)).one(),
        invited=s.scalars(sa.select(User).where(User.password_hash.is_(None))).one(),
        deactivated=s.scalars(sa.select(User).where(User.active.is_(False))).one(),
        messages=list(s.scalars(sa.select(Message).order_by(Message.id))),
        team_member=s.scalars(sa.select(TeamMember).where(TeamMember.event_id == application_workshop.id,
                                                          TeamMember.role == TeamRole.REVIEWER)).one(),
        series_member=s.scalars(sa.select(TeamMember).where(TeamMember.series_id.isnot(None))
                                .order_by(TeamMember.id).limit(1)).one(),
        correction=s.scalars(sa.select(CorrectionRequest).where(CorrectionRequest.resolved_at.is_(None))
                             .order_by(CorrectionRequest.id).limit(1)).one(),
        replaced=s.scalars(sa.select(ReplacedDocument).order_by(ReplacedDocument.id).limit(1)).one(),
        deletion_requested=s.scalars(sa.select(Registration).where(Registration.deletion_requested_at.is_not(None))
                                     .order_by(Registration.id).limit(1)).one(),
        expired=s.scalars(sa.select(Registration).join(Registration.event)
                          .where(Event.ends_at < utcnow() - timedelta(days=365)).order_by(Registration.id).limit(1)).one(),
    )


def _email_history(s) -> None:
    """Two emails to a participant of the open forum, as the worker leaves them: one sent, one given up on."""
    forum = s.scalars(sa.select(Event).where(Event.kind == EventKind.FORUM, Event.status == EventStatus.PUBLISHED)
                      .order_by(Event.starts_at.desc()).limit(1)).one()
    person = s.scalars(sa.select(Registration).where(Registration.event_id == forum.id,
                                                     Registration.status == RegistrationStatus.CONFIRMED)
                       .order_by(Registration.id).limit(1)).one()
    notifications.queue(s, person, "registration_confirmed")
    notifications.queue(s, person, "link_resent")
    sent, failed = s.scalars(sa.select(OutboxEmail).where(OutboxEmail.registration_id == person.id)
                             .order_by(OutboxEmail.id)).all()
    sent.status, sent.attempts, sent.sent_at = OutboxStatus.SENT, 1, utcnow()
    failed.status, failed.attempts = OutboxStatus.FAILED, 8
    failed.last_error = f"SMTPRecipientsRefused: {{'{person.email}': (550, b'5.1.1 No such user here')}}"


def _accounts(s) -> None:
    """Accounts in the states the account pages show differently: invited (no email queued), deactivated."""
    s.add_all([User(email="invited.reviewer@example.org", password_hash=None, invited_at=utcnow()),
               User(email="former.organiser@wtanet.org", name="Former Organiser", password_hash="!", active=False)])


def _participants(d: Demo) -> list[Registration]:
    """Everyone whose personal page looks different: each decision, place, seat, visa and certificate state."""
    people = [*d.applications.values(), d.forum_confirmed, d.waitlisted, d.forum_cancelled,
              d.workshop_confirmed, d.certified.registration]
    people += [request.registration for request in d.visa.values()]
    return list({person.id: person for person in people}.values())


def _link(registration: Registration) -> str:
    """A personal link as "Lost your link?" issues it today: it works whatever the event's dates."""
    return participant_token(registration.id, issued_at=utcnow())


def _open_applications(d: Demo) -> list[Registration]:
    return [r for status, r in d.applications.items() if status.is_open]


Kwargs = list[dict]
# Each page (endpoint) and the ids it is visited with: every kind of event, person or state it renders
# differently. A lambda returns keyword arguments for url_for, one dict per visit.
PAGES: dict[str, tuple[str, Callable[[Demo], Kwargs]]] = {
    "public.index": ("public", lambda d: [{}]),
    "public.past": ("public", lambda d: [{}]),
    "public.series": ("public", lambda d: [{"slug": series.slug} for series in d.series]),
    "public.event": ("public", lambda d: [{"slug": e.slug} for e in d.events if e is not d.draft]),
    # Keys starting with "_" are not in the address: "_registered" is whom this browser just registered.
    "public.registered": ("public", lambda d: [{"slug": r.event.slug, "_registered": r.id} for r in (
        *_open_applications(d)[:1], d.forum_confirmed, d.waitlisted, d.workshop_confirmed)]),
    "public.already_registered": ("public", lambda d: [{"slug": d.open_forum.slug}]),
    "public.verify_form": ("public", lambda d: [{}]),
    "public.verify": ("public", lambda d: [{"code": d.certified.verification_code},
                                           {"code": d.replaced.verification_code}]),
    "auth.login": ("public", lambda d: [{}]),
    "auth.forgot_password": ("public", lambda d: [{}]),
    "auth.reset_password": ("public", lambda d: [
        {"token": make_link_token(d.organiser, LinkPurpose.PASSWORD_RESET, now=utcnow())}]),
    "auth.accept_invitation": ("public", lambda d: [
        {"token": make_link_token(d.invited, LinkPurpose.INVITATION, now=utcnow())}]),
    "public.lost_link": ("public", lambda d: [{}, {"event": d.open_forum.slug}]),
    "participant.show": ("participant", lambda d: [{"token": _link(r)} for r in _participants(d)]),
    "participant.my_data": ("participant", lambda d: [{"token": _link(r)} for r in (
        d.forum_confirmed, *[request.registration for request in d.visa.values()], *_open_applications(d)[:1])]),
    # One that may ask (cancelled, already asked in the demo) and one that must cancel first.
    "participant.request_deletion": ("participant", lambda d: [{"token": _link(r)} for r in (
        d.deletion_requested, d.forum_confirmed)]),
    "participant.edit_answers": ("participant", lambda d: [{"token": participant_token(r.id)}
                                                           for r in _open_applications(d)[:1]]),
    "participant.withdraw_application": ("participant", lambda d: [{"token": participant_token(r.id)}
                                                                   for r in _open_applications(d)[:1]]),
    "participant.cancel": ("participant", lambda d: [{"token": participant_token(r.id)}
                                                     for r in (d.forum_confirmed, d.workshop_confirmed)]),
    "participant.sessions": ("participant", lambda d: [{"token": participant_token(d.forum_confirmed.id)}]),
    # Open, with the name locked (an approved visa letter), and closed (a past event).
    "participant.edit_details": ("participant", lambda d: [{"token": participant_token(r.id)} for r in (
        d.forum_confirmed, d.visa[VisaRequestStatus.APPROVED].registration, d.certified.registration)]),
    "participant.request_correction": ("participant", lambda d: [{"token": participant_token(d.workshop_confirmed.id)}]),
    "organiser.dashboard": ("organiser", lambda d: [{}]),
    "auth.account": ("organiser", lambda d: [{}]),
    "organiser.users": ("organiser", lambda d: [{}]),
    "organiser.invite_user": ("organiser", lambda d: [{}]),
    # Each confirmation page, and one that refuses (an administrator removing their own rights).
    "organiser.user_action": ("organiser", lambda d: [
        {"user_id": d.invited.id, "action": "deactivate"}, {"user_id": d.deactivated.id, "action": "reactivate"},
        {"user_id": d.invited.id, "action": "make-admin"}, {"user_id": d.organiser.id, "action": "remove-admin"}]),
    "organiser.new_event": ("organiser", lambda d: [{}]),
    "organiser.series_list": ("organiser", lambda d: [{}]),
    "organiser.new_series": ("organiser", lambda d: [{}]),
    "organiser.series": ("organiser", lambda d: [{"series_id": series.id} for series in d.series]),
    "organiser.edit_series": ("organiser", lambda d: [{"series_id": series.id} for series in d.series]),
    "organiser.series_team": ("organiser", lambda d: [{"series_id": series.id} for series in d.series]),
    "organiser.series_team_remove": ("organiser", lambda d: [
        {"series_id": d.series_member.series_id, "member_id": d.series_member.id}]),
    "organiser.event_team_remove": ("organiser", lambda d: [
        {"event_id": d.team_member.event_id, "member_id": d.team_member.id}]),
    **{
        endpoint: ("organiser", lambda d: [{"event_id": e.id} for e in d.events])
        for endpoint in (
            "organiser.edit_event", "organiser.attendees", "organiser.attendance",
            "organiser.checkin_page", "organiser.documents", "organiser.document_wording",
            "organiser.issue_certificates", "organiser.delete_passport_data", "organiser.approve_all_visa_requests",
            "organiser.programme", "organiser.new_session", "organiser.questions", "organiser.new_question",
            "organiser.preview_questions", "organiser.emails", "organiser.event_team", "organiser.event_log",
            "organiser.statistics",
        )
    },
    # A draft is deleted, not cancelled: its cancel address leads to the delete page.
    "organiser.cancel_event": ("organiser", lambda d: [{"event_id": e.id} for e in d.events if e is not d.draft]),
    "organiser.delete_event": ("organiser", lambda d: [{"event_id": d.draft.id}]),
    "organiser.applications": ("organiser", lambda d: [{"event_id": d.application_workshop.id}]),
    "organiser.selection_overview": ("organiser", lambda d: [{"event_id": d.application_workshop.id}]),
    "organiser.application_confirmations": ("organiser", lambda d: [{"event_id": d.application_workshop.id}]),
    "organiser.release_unconfirmed": ("organiser", lambda d: [{"event_id": d.application_workshop.id}]),
    "organiser.review_application": ("organiser", lambda d: [
        {"event_id": r.event_id, "registration_id": r.id} for r in d.applications.values()]),
    "organiser.registration": ("organiser", lambda d: [
        {"event_id": r.event_id, "registration_id": r.id} for r in (*_participants(d), d.correction.registration)]),
    "organiser.edit_registration": ("organiser", lambda d: [
        {"event_id": r.event_id, "registration_id": r.id} for r in (d.correction.registration, d.certified.registration)]),
    "organiser.registration_history": ("organiser", lambda d: [
        {"event_id": r.event_id, "registration_id": r.id} for r in _participants(d)]),
    "organiser.session_people": ("organiser", lambda d: [{"event_id": d.open_forum.id, "session_id": d.session.id}]),
    "organiser.edit_session": ("organiser", lambda d: [{"event_id": d.open_forum.id, "session_id": d.session.id}]),
    "organiser.delete_session": ("organiser", lambda d: [{"event_id": d.open_forum.id, "session_id": d.session.id}]),
    "organiser.edit_question": ("organiser", lambda d: [
        {"event_id": d.application_workshop.id, "question_id": d.question.id}]),
    "organiser.remove_question": ("organiser", lambda d: [
        {"event_id": d.application_workshop.id, "question_id": d.question.id}]),
    "organiser.email": ("organiser", lambda d: [{"event_id": d.open_forum.id, "email_id": e.id} for e in d.emails]),
    "organiser.undo_check_in": ("organiser", lambda d: [
        {"event_id": d.past_forum.id, "check_in_id": d.check_in.id}]),
    "organiser.event_email_texts": ("organiser", lambda d: [{"event_id": e.id} for e in (d.application_workshop, d.open_forum)]),
    # The preview with a real registration (with sessions; with travel support) and with the sample person.
    "organiser.event_email_text": ("organiser", lambda d: [
        {"event_id": d.open_forum.id, "kind": "registration_confirmed"},
        {"event_id": d.application_workshop.id, "kind": "application_accepted"},
        {"event_id": d.draft.id, "kind": "session_removed"}]),
    "organiser.event_email_text_reset": ("organiser", lambda d: [{"event_id": d.open_forum.id, "kind": "registration_confirmed"}]),
    "organiser.series_email_texts": ("organiser", lambda d: [{"series_id": d.series[0].id}]),
    "organiser.series_email_text": ("organiser", lambda d: [{"series_id": d.series[0].id, "kind": "registration_waitlisted"}]),
    "organiser.series_email_text_reset": ("organiser", lambda d: [{"series_id": d.series[0].id, "kind": "registration_waitlisted"}]),
    "organiser.privacy": ("organiser", lambda d: [{"event_id": e.id} for e in (d.open_forum, d.past_forum)]),
    "organiser.anonymise_registration": ("organiser", lambda d: [
        {"event_id": r.event_id, "registration_id": r.id} for r in (d.deletion_requested, d.forum_confirmed)]),
    "organiser.messages_list": ("organiser", lambda d: [{"event_id": e.id} for e in (d.open_forum, d.draft)]),
    "organiser.message_new": ("organiser", lambda d: [
        {"event_id": d.open_forum.id, "status": "confirmed", "country": "KE"},
        {"event_id": d.open_forum.id, "source": "session", "session_id": d.session.id, "place": "confirmed"},
        {"event_id": d.application_workshop.id, "source": "applications", "status": "accepted", "travel_granted": "y"}]),
    "organiser.reminder_new": ("organiser", lambda d: [{"event_id": e.id} for e in (d.open_forum,
                                                                                      d.application_workshop)]),
    "organiser.message_edit": ("organiser", lambda d: [
        {"event_id": m.event_id, "message_id": m.id} for m in d.messages]),
    "organiser.message_send": ("organiser", lambda d: [
        {"event_id": m.event_id, "message_id": m.id} for m in d.messages if not m.is_sent][:1]),
}

# Forms sent empty, so the pages are also checked as they show errors next to the fields.
# Only forms that an empty submission cannot change anything with: the demo is shared by every page.
SENT_EMPTY: dict[str, Callable[[Demo], Kwargs]] = {
    "public.event": lambda d: [{"slug": e.slug} for e in (d.application_workshop, d.open_workshop, d.open_forum)],
    "auth.login": lambda d: [{}],
    "auth.forgot_password": lambda d: [{}],
    "public.lost_link": lambda d: [{}],
    "organiser.invite_user": lambda d: [{}],
    "organiser.new_event": lambda d: [{}],
    "organiser.new_series": lambda d: [{}],
    "organiser.new_session": lambda d: [{"event_id": d.open_forum.id}],
    "organiser.new_question": lambda d: [{"event_id": d.application_workshop.id}],
    "organiser.message_new": lambda d: [{"event_id": d.open_forum.id, "status": "confirmed"}],
    "organiser.reminder_new": lambda d: [{"event_id": d.open_forum.id}],
    "participant.request_correction": lambda d: [{"token": participant_token(d.workshop_confirmed.id)}],
}


def _visits(app: Flask, d: Demo) -> list[Visit]:
    visits = []
    with app.test_request_context():
        for endpoint, (who, ids) in PAGES.items():
            for kwargs in ids(d):
                url = url_for(endpoint, **{k: v for k, v in kwargs.items() if not k.startswith("_")})
                # Only the browser that registered sees its confirmation page: the id is in its session.
                session = {"registered": kwargs["_registered"]} if "_registered" in kwargs else None
                visits.append(Visit(endpoint, url, who, session=session))
        for endpoint, ids in SENT_EMPTY.items():
            for kwargs in ids(d):
                visits.append(Visit(endpoint, url_for(endpoint, **kwargs), PAGES[endpoint][0],
                                    submit="main form[method=post]"))
        visits.append(Visit("(not found)", "/events/no-such-event", "public"))
        visits.append(Visit("(expired link)", url_for("participant.show", token=participant_token(d.expired.id)),
                            "participant"))
    # Signed out first: signing in replaces the session the confirmation pages are shown with.
    return sorted(visits, key=lambda v: v.who == "organiser")


def seed_demo_site() -> None:
    """The demo as `make run` loads it, plus what only some pages show: a draft edition (as "Create next
    edition" leaves one), an email history, and an invited and a deactivated account. Committed."""
    begin_write(db.session)
    demo.seed(db.session, now=utcnow(), login_url="http://127.0.0.1/login")
    workshops = db.session.scalars(sa.select(Series).where(Series.code == "ITW")).one()
    organiser = db.session.scalars(sa.select(User).where(User.email == demo.DEMO_EMAIL)).one()
    create_next_edition(db.session, workshops.id, actor=organiser, now=utcnow())
    _email_history(db.session)
    _accounts(db.session)
    db.session.commit()


@pytest.fixture(scope="module")
def demo_site(_migrated_app) -> Iterator[tuple[Flask, list[Visit]]]:
    """The demo loaded as `make run` loads it, and the pages to visit; emptied again afterwards."""
    app = _migrated_app
    with app.app_context():
        seed_demo_site()
        visits = _visits(app, _load_demo())
        db.session.commit()
        try:
            yield app, visits
        finally:
            db.session.remove()
            _empty_all_tables()


def test_every_get_route_is_visited_or_skipped_with_a_reason(demo_site):
    app, visits = demo_site
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}

    forgotten = get_routes - set(PAGES) - set(SKIPPED)
    assert not forgotten, (
        f"GET routes neither visited nor skipped: {sorted(forgotten)}. Add each to PAGES in {__file__} with demo "
        "ids that show it, or to SKIPPED with the reason (downloads and JSON only)."
    )
    assert not set(SKIPPED) & set(PAGES)
    assert set(SKIPPED) <= get_routes, f"SKIPPED names routes that no longer exist: {sorted(set(SKIPPED) - get_routes)}"
    unvisited = set(PAGES) - {v.endpoint for v in visits}
    assert not unvisited, f"the demo has nothing to show these pages with: {sorted(unvisited)}"


# --- the crawl: one browser, one context; every page loaded once --------------------------------

@dataclass
class PageReport:
    visit: Visit
    status: int = 0
    landed_on: str = ""
    html: Path | None = None
    axe: list[str] = field(default_factory=list)
    phone_width: int = 0
    too_wide: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    pages: list[PageReport]
    seconds: float
    vnu_messages: list[dict]


def _tools_or_skip() -> None:
    if not AXE.exists() or not VNU.exists():
        pytest.skip("axe-core / vnu-jar missing: run `npm ci --ignore-scripts` in the project root (`make test` does when npm exists)")
    if shutil.which("java") is None:
        pytest.skip("Java missing: the Nu HTML checker (vnu.jar) needs it (apt-get install default-jre-headless)")


# What sticks out past the right edge of a phone screen, for the report: the outermost elements
# reaching past it that no scroll box of theirs clips.
TOO_WIDE_JS = """width => {
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const sticksOut = el => el.getBoundingClientRect().right > width + 0.5;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)) && !clipped(el)) {
      out.push(name(el) + ' reaches ' + Math.round(el.getBoundingClientRect().right) + ' px');
    }
  }
  return [...new Set(out)].slice(0, 4);
}"""

AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
}"""


@pytest.fixture(scope="module", params=["en", "ko"])
def crawl(request, demo_site, browser, tmp_path_factory) -> Crawl:
    """Every page, once in each language: as chosen with the switcher (the `lang` cookie)."""
    _tools_or_skip()
    app, visits = demo_site
    if only := os.environ.get("EVERY_PAGE_ONLY"):  # a regex: only the pages being fixed
        visits = [v for v in visits if re.search(only, v.url)]
    folder = tmp_path_factory.mktemp("every-page")
    started = time.monotonic()
    reports: list[PageReport] = []
    with serving(app) as base:
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as an inline script
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": LANGUAGE_COOKIE, "value": request.param, "url": base}])
        page = context.new_page()
        report = PageReport(visits[0])
        page.on("response", lambda r: report.missing_files.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document" else None)
        signed_in = False
        icons: dict[str, int] = {}
        for n, visit in enumerate(visits):
            report = PageReport(visit)
            reports.append(report)
            if visit.who == "organiser" and not signed_in:
                sign_in(page, base, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
                signed_in = True
            if visit.session is not None:
                cookie = app.session_interface.get_signing_serializer(app).dumps(visit.session)
                context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}])
            response = page.goto(base + visit.url)
            if visit.submit:
                with page.expect_navigation() as navigation:
                    page.locator(visit.submit).evaluate("form => { form.noValidate = true; form.requestSubmit(); }")
                response = navigation.value
            page.wait_for_load_state("load")
            report.status = response.status if response else 0
            landed = urlsplit(page.url)
            report.landed_on = landed.path + (f"?{landed.query}" if landed.query else "")
            report.html = folder / f"{n:03d}.html"
            report.html.write_bytes(response.body() if response else b"")
            # Headless Chromium asks for no icon, so the page's own <link rel=icon> is followed here.
            icon = page.evaluate("document.querySelector('link[rel~=icon]')?.href || ''")
            if icon not in icons:
                icons[icon] = context.request.get(icon).status if icon else 0
            if icons[icon] != 200:
                report.missing_files.append(f"site icon {icon or '(no <link rel=icon>)'}: {icons[icon] or 'missing'}")
            page.add_script_tag(path=str(AXE))
            report.axe = page.evaluate(AXE_JS)
            page.set_viewport_size(PHONE)
            report.phone_width = page.evaluate("document.documentElement.scrollWidth")
            if report.phone_width > PHONE["width"]:
                report.too_wide = page.evaluate(TOO_WIDE_JS, PHONE["width"])
            page.set_viewport_size(DESKTOP)
        context.close()
    seconds = time.monotonic() - started
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
         *(str(r.html) for r in reports)],
        capture_output=True, text=True, check=False,
    )
    if checked.returncode not in (0, 1) or not checked.stdout.strip():  # 1: it found errors
        pytest.fail(f"the Nu HTML checker did not run (exit {checked.returncode}): {checked.stderr[-2000:]}")
    messages = json.loads(checked.stdout)["messages"]
    print(f"every page ({request.param}): {len(reports)} pages in {seconds:.0f} s, Nu checker {len(messages)} errors")
    return Crawl(reports, seconds, messages)


def _fail_with(title: str, lines: list[str]) -> None:
    if lines:
        pytest.fail(f"{title} ({len(lines)}):\n  " + "\n  ".join(lines), pytrace=False)


def test_every_page_loads_with_everything_it_links(crawl):
    expected_status = {"(not found)": 404, "(expired link)": 410}
    lines = []
    for r in crawl.pages:
        wanted = (200, 422) if r.visit.submit else (expected_status.get(r.visit.endpoint, 200),)
        if r.status not in wanted:
            lines.append(f"{r.visit.name}: answered {r.status}, expected {' or '.join(map(str, wanted))}")
        elif r.landed_on != r.visit.url:
            lines.append(f"{r.visit.name}: redirected to {r.landed_on}, so that page was not checked")
        lines += [f"{r.visit.name}: requested a missing file: {missing}" for missing in r.missing_files]
    _fail_with("Pages that did not load as visited", lines)
    assert crawl.seconds < SECONDS_PER_PAGE * len(crawl.pages), f"{crawl.seconds:.0f} s for {len(crawl.pages)} pages"


def test_axe_finds_no_violation_on_any_page(crawl):
    _fail_with("axe-core violations (rule (impact): target — help)",
               [f"{r.visit.name}: {line}" for r in crawl.pages for line in r.axe])


def test_the_nu_html_checker_finds_no_error_on_any_page(crawl):
    by_file = {str(r.html): r.visit.name for r in crawl.pages}
    errors: dict[str, list[str]] = {}  # one line per page and message, with the first place it occurs
    for m in crawl.vnu_messages:
        page = by_file.get(urlsplit(m.get("url", "")).path, m.get("url"))
        extract = " ".join(m.get("extract", "").split())
        errors.setdefault(f"{page}: {m['message']}", []).append(f"line {m.get('lastLine')} «{extract}»")
    _fail_with("Nu HTML checker errors (page: message ×times, first at)", [
        f"{error} ×{len(places)}, {places[0]}" if len(places) > 1 else f"{error} {places[0]}"
        for error, places in errors.items()
    ])


def test_every_page_fits_a_390px_phone(crawl):
    _fail_with(f"Pages wider than a {PHONE['width']} px phone (document width; what sticks out)", [
        f"{r.visit.name}: {r.phone_width} px; " + "; ".join(r.too_wide)
        for r in crawl.pages if r.phone_width > PHONE["width"]
    ])
