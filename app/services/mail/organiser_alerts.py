"""What an event's organisers are told: each new registration or one digest a day (or nothing), as chosen on
the event form; and always, at once, when a participant gives up a place (a confirmed registration
cancelled, an accepted application withdrawn): the seat, or the travel budget, may need them.

The emails go to every active account managing the event (the event's contact address when none does),
through the same outbox as the participants' emails, in the transaction of the change they report. They
carry no personal link: they point at the organiser pages, which ask the reader to sign in.

The digest: `flask mail digest` (run by cron) or the mail worker's loop sends each event's digest once a
day, the first time it runs after DIGEST_HOUR on the clock at the venue, listing the registrations since
the previous digest. Each event's digest is claimed with one compare-and-set UPDATE of its
last_digest_at, so two workers running at once never send it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import cast

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app.database import Session, begin_write
from app.i18n import DEFAULT_LANGUAGE
from app.models import CorrectionRequest, Event, EventStatus, OrganiserAlerts, Registration, RegistrationStatus
from app.services.formatting import format_local
from app.services.mail import mailer
from app.services.urls import external_url

# Organiser emails are not participant emails: they are not among the texts organisers edit per event.
SUBJECTS = {
    "organiser_alert": "{what}: {title}",
    "organiser_digest": "{what}: {title}",
}
DIGEST_HOUR = 8  # at the venue: the digest is there when the organisers start their day
# A digest still goes out for the day registration closed; after that there is nothing new to list.
DIGEST_AFTER_CLOSING = timedelta(days=2)
_EVENTS = cast(sa.Table, Event.__table__)


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str


def recipients(event: Event) -> list[Recipient]:
    managers = sorted((user for user in event.managers if user.active), key=lambda user: user.id)
    if not managers:  # an event nobody manages (yet): its contact address reads the news
        return [Recipient("", event.contact_email)]
    return [Recipient(user.name, user.email) for user in managers]


def new_registration(session: Session, registration: Registration) -> list[int]:
    """After someone registers or applies (again): an alert, when the organisers asked for each one. Returns the
    ids of the emails queued (one per organiser), for registration.register to redo them if the status changes."""
    event = registration.event
    if event.organiser_alerts is not OrganiserAlerts.EACH:
        return []
    applied = registration.status is RegistrationStatus.APPLIED
    return _alert(session, registration, change="applied" if applied else "registered",
                  what=(_("New application from %(name)s", name=registration.full_name) if applied
                        else _("New registration from %(name)s", name=registration.full_name)))


def place_given_up(session: Session, registration: Registration, *, withdrawn: bool,
                   promoted: Sequence[Registration] = ()) -> None:
    """A participant with a place cancelled, or an accepted applicant withdrew: always reported."""
    if withdrawn:
        what = _("%(name)s withdrew, a place is free", name=registration.full_name)
    else:
        what = _("%(name)s cancelled, a place is free", name=registration.full_name)
    if promoted:
        what = _("%(name)s cancelled, %(names)s moved up", name=registration.full_name, names=_names(promoted))
    _alert(session, registration, change="withdrawn" if withdrawn else "cancelled", what=what,
           promoted=list(promoted))


def correction_requested(session: Session, registration: Registration, request: CorrectionRequest) -> None:
    """A participant asks for a correction they cannot make themselves (a name on their documents): always reported."""
    _alert(session, registration, change="correction", what=_("%(name)s asks for a correction", name=registration.full_name),
           correction=request.message)


def _alert(session: Session, registration: Registration, *, change: str, what: str, **extra) -> list[int]:
    # Organisers read English, whatever language the participant's page that caused the alert spoke.
    with force_locale(DEFAULT_LANGUAGE):
        return _alert_in_english(session, registration, change=change, what=what, **extra)


def _alert_in_english(session: Session, registration: Registration, *, change: str, what: str,
                      **extra) -> list[int]:
    event = registration.event
    endpoint = "organiser.review_application" if registration.application is not None else "organiser.registration"
    context = {
        "event": event, "registration": registration, "change": change,
        "registration_url": external_url(endpoint, event_id=event.id, registration_id=registration.id),
        **_organiser_links(event), **extra,
    }
    return [mailer.enqueue(session, kind="organiser_alert", to=recipient.address,
                           subject=SUBJECTS["organiser_alert"].format(what=what, title=event.title),
                           context={**context, "recipient": recipient})
            for recipient in recipients(event)]


def _organiser_links(event: Event) -> dict[str, str]:
    return {"list_url": external_url("organiser.attendees", event_id=event.id),
            "settings_url": external_url("organiser.edit_event", event_id=event.id)}


def _names(registrations: Sequence[Registration]) -> str:
    names = [r.full_name for r in registrations]
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


# --- the daily digest --------------------------------------------------------------------------

def send_due_digests(session: Session, *, now: datetime) -> int:
    """Send every digest that is due; returns how many events had one claimed. Commits per event."""
    session.rollback()
    candidates = session.execute(
        sa.select(Event.id, Event.timezone, Event.last_digest_at)
        .where(Event.organiser_alerts == OrganiserAlerts.DAILY, Event.status == EventStatus.PUBLISHED,
               Event.registration_closes_at > now - DIGEST_AFTER_CLOSING)
        .order_by(Event.id)
    ).all()
    session.rollback()
    claimed = 0
    for event_id, timezone, last in candidates:
        due_from = digest_time(timezone, now)
        if last is not None and last >= due_from:
            continue
        claimed += _send_digest(session, event_id, due_from, now=now)
    return claimed


def digest_time(timezone: str, now: datetime) -> datetime:
    """The latest DIGEST_HOUR o'clock at the venue, at or before `now`: a digest sent since then is today's."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    day = local_now.date() if local_now.hour >= DIGEST_HOUR else local_now.date() - timedelta(days=1)
    return datetime.combine(day, time(DIGEST_HOUR), tzinfo=zone).astimezone(UTC)


def _send_digest(session: Session, event_id: int, due_from: datetime, *, now: datetime) -> int:
    begin_write(session)
    try:
        previous = session.scalar(sa.select(Event.last_digest_at).where(Event.id == event_id))
        # Compare-and-set: only the worker that moves last_digest_at from what it read sends the digest.
        # (PostgreSQL: a second worker's UPDATE waits for the first to commit, then matches nothing.)
        taken = cast(sa.CursorResult, session.execute(
            sa.update(_EVENTS)
            .where(_EVENTS.c.id == event_id,
                   _EVENTS.c.last_digest_at.is_(None) if previous is None else _EVENTS.c.last_digest_at == previous,
                   sa.or_(_EVENTS.c.last_digest_at.is_(None), _EVENTS.c.last_digest_at < due_from))
            .values(last_digest_at=now, updated_at=_EVENTS.c.updated_at)  # not a change of the event itself
        )).rowcount
        if taken == 1:
            _queue_digest(session, session.get_one(Event, event_id), since=previous or now - timedelta(days=1),
                          now=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return taken


def _queue_digest(session: Session, event: Event, *, since: datetime, now: datetime) -> None:
    with force_locale(DEFAULT_LANGUAGE):  # organisers read English (see _alert)
        _queue_digest_in_english(session, event, since=since, now=now)


def _queue_digest_in_english(session: Session, event: Event, *, since: datetime, now: datetime) -> None:
    # consent_at is when the person (last) submitted the form: someone registering again after
    # cancelling is new again.
    registrations = list(session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.consent_at > since, Registration.consent_at <= now)
        .order_by(Registration.consent_at, Registration.id)
    ))
    if not registrations:  # nothing new: no email (tomorrow's digest still starts from now)
        return
    counts = dict(session.execute(
        sa.select(Registration.status, sa.func.count()).where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).tuples().all())
    if event.takes_applications:
        what = ngettext("%(num)d new application", "%(num)d new applications", len(registrations))
    else:
        what = ngettext("%(num)d new registration", "%(num)d new registrations", len(registrations))
    context = {
        "event": event, "registrations": registrations, "applications": event.takes_applications, "what": what,
        "since": format_local(since, event.timezone),
        "counts": [(status.label, counts.get(status, 0)) for status in RegistrationStatus if counts.get(status)],
        **_organiser_links(event),
    }
    for recipient in recipients(event):
        mailer.enqueue(session, kind="organiser_digest", to=recipient.address,
                       subject=SUBJECTS["organiser_digest"].format(what=what, title=event.title),
                       context={**context, "recipient": recipient})
