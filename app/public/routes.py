"""What anyone can see: the events, an event's page and its registration form."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, send_from_directory, session, url_for
from sqlalchemy.orm import contains_eager, load_only

from app import limits
from app.actions import commit_or_show
from app.database import read_without_transaction
from app.extensions import db
from app.file_responses import ics_response
from app.models import Event, ProgrammeSession, Registration, utcnow
from app.public import bp
from app.public.form_cache import fresh_form_html
from app.public.form_parts import (
    event_in_full,
    form_made_for,
    prepare_to_show_again,
    public_event_for_form,
    registration_form_for,
    save_parts,
)
from app.public.parts.questions import QuestionsPart
from app.services.events import calendar as calendars
from app.services.programme import programme
from app.services.programme.programme_listing import programme_by_day
from app.services.registration import registration as registration_service
from app.services.registration.availability import (
    availability,
    confirmed_counts,
    public_events,
    refusal_message,
)


@bp.get("/")
def index():
    now = utcnow()
    events = public_events(db.session, now)
    counts = confirmed_counts(db.session, (e.id for e in events))
    listed = [(event, availability(event, counts[event.id], now)) for event in events]
    return render_template(
        "public/index.html",
        workshops=[item for item in listed if item[0].kind.is_workshop],
        forums=[item for item in listed if not item[0].kind.is_workshop],
    )


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for /favicon.ico whatever the page links; without it every page logs a 404.
    assert current_app.static_folder is not None  # create_app sets it (static/)
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)


@bp.get("/past")
def past():
    return render_template("public/past.html", events=public_events(db.session, utcnow(), past=True))


def _public_event_or_404(slug: str) -> Event:
    return db.first_or_404(
        sa.select(Event).where(Event.slug == slug, Event.is_public)
    )


@bp.route("/events/<slug>", methods=["GET", "POST"])
@limits.per_client("REGISTRATION_RATE_LIMIT")
@limits.per_event("REGISTRATION_EVENT_RATE_LIMIT")
@limits.per_mailbox("REGISTRATION_MAILBOX_RATE_LIMIT")
def event(slug: str):
    registering = request.method == "POST"
    # The request's Session itself: each use of db.session (a scoped proxy) looks it up again, and this view
    # and the services it calls use it some fifteen times.
    db_session = db.session()
    if not registering:
        read_without_transaction(db_session)
    found = public_event_for_form(db_session, slug, registering=registering)
    if found is None:
        abort(404)
    event, confirmed = found
    now = utcnow()
    made = form_made_for(db_session, event)
    # A first visit (GET) needs no form object: its form's HTML is kept (form_cache.py).
    form = registration_form_for(db_session, event, made) if registering else None
    # A valid form goes straight to the service, which checks availability under the event
    # lock anyway (and refuses with the same message): counting seats here first would be one
    # more query on the hottest path of the site.
    if form is not None and form.validate_on_submit():
        def register() -> tuple[int, bool]:
            assert form is not None  # mypy: the closure's form is the one validated
            outcome = registration_service.register(
                db_session, event.id, form.participant_details(), now=now,
                attach=lambda registration, now: save_parts(db_session, registration, form, now=now),
                confirmed_seen=confirmed,
            )
            # Read before commit, which expires every object: reading after it would query again.
            return outcome.registration.id, outcome.already_registered

        # Nothing is read after the commit (the answer is a redirect): the objects it would expire, one by one,
        # need not be. A refusal rolls back, which expires them all the same, for the page shown again.
        db_session.expire_on_commit = False
        done = commit_or_show(form, register)
        if done:
            registration_id, already_registered = done.value
            if already_registered:
                return redirect(url_for("public.already_registered", slug=slug))
            # The reference is shown once, to the browser that registered; no id in the URL.
            session["registered"] = registration_id
            return redirect(url_for("public.registered", slug=slug))
    if registering:
        event_in_full(db_session, event)  # the page shows what a registration did not read
    state = availability(event, confirmed, now)
    if form is not None:
        prepare_to_show_again(form)
        if not state.accepts_registrations and not form.form_errors:
            form.form_errors.append(refusal_message(event, state.state))
    # Seats left, counted once for the programme and the session choices; the service decides again
    # under the lock.
    seats = programme.seats(db_session, event.id) if event.programme else []
    fresh = form is None and state.accepts_registrations
    return render_template(
        "public/event.html",
        event=event,
        state=state,
        form=form,  # None on a first visit: no errors to show
        form_html=fresh_form_html(made, event, state, seats, lambda: registration_form_for(db_session, event, made))
        if fresh else None,
        asks_questions=any(isinstance(part, QuestionsPart) for part in made.parts),
        seats=seats,
        refusal=None if state.accepts_registrations else refusal_message(event, state.state),  # shown only then
        programme_days=programme_by_day(db_session, event, seats),
    ), 422 if form is not None and (form.errors or form.form_errors) else 200


@bp.get("/events/<slug>/registered")
def registered(slug: str):
    read_without_transaction(db.session)
    registration_id = session.get("registered")
    row = db.session.execute(_REGISTERED, {"registration_id": registration_id, "slug": slug}).first() \
        if registration_id else None
    if row is None:
        _public_event_or_404(slug)  # an unknown event is a 404; a registration not found, its event's page
        return redirect(url_for("public.event", slug=slug))
    registration, has_programme = row
    event = registration.event
    position = registration_service.waiting_list_position(db.session, registration)
    return render_template("public/registered.html", event=event, registration=registration, position=position,
                           choices=programme.choices_of(db.session, registration.id) if has_programme else [])


# The result page's one statement: the registration, its event (with its series, which the title needs), and
# whether the event has a programme (only then are the sessions chosen asked for). Only the columns the page shows
# are read: reading a row's columns is most of what a query costs here, and the registration joined its event a
# second time by itself. A column the page comes to show without being added here is still right, read by one
# more query.
_REGISTERED = (
    sa.select(Registration, sa.exists().where(ProgrammeSession.event_id == Event.id))
    .join(Registration.event)
    .where(Registration.id == sa.bindparam("registration_id"), Event.slug == sa.bindparam("slug"), Event.is_public)
    .options(
        load_only(Registration.event_id, Registration.status, Registration.reference, Registration.email,
                  Registration.waitlisted_at),
        contains_eager(Registration.event).load_only(
            Event.slug, Event.own_title, Event.title_ko, Event.series_id, Event.series_year, Event.starts_at,
            Event.timezone, Event.registration_mode, Event.registration_closes_at, Event.contact_email),
    )
)


@bp.get("/events/<slug>/already-registered")
def already_registered(slug: str):
    return render_template("public/already_registered.html", event=_public_event_or_404(slug))


@bp.get("/events/<slug>/calendar.ics")
def event_calendar(slug: str):
    event = _public_event_or_404(slug)
    return ics_response(calendars.event_calendar(event, stamp=utcnow()), f"{event.slug}.ics")
