"""Reminders relative to the event's start or its registration deadline: listed with when and to how many,
turned into emails exactly once even by two workers at once, and copied to the next edition of a series."""

from __future__ import annotations

import multiprocessing
import re
import traceback
from datetime import timedelta

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import (
    Event,
    EventStatus,
    Message,
    MessageStatus,
    OutboxEmail,
    RegistrationStatus,
    ReminderAnchor,
    utcnow,
)
from tests.conftest import csrf_token
from tests.integration.organiser_support import add_registrations, post_action
from tests.integration.test_series import add_edition, admin, create_series, forum_edition  # noqa: F401

WORKERS = 2


def _new_reminder(client, event_id: int, **fields):
    url = f"/admin/events/{event_id}/reminders/new"
    page = client.get(url)
    data = {"csrf_token": csrf_token(page), "who": "confirmed", "days": "7", "direction": "before",
            "anchor": "start", "subject": "Practical information", "body": "Dear {name}, see you in {venue}.",
            "do": "schedule", **fields}
    return client.post(url, data=data)


def test_the_organiser_sees_what_goes_out_when_and_to_how_many(admin, client, make_event):  # noqa: F811
    event = make_event(starts_at=utcnow() + timedelta(days=30), ends_at=utcnow() + timedelta(days=32))
    add_registrations(event, 3)
    add_registrations(event, 2, status=RegistrationStatus.WAITLISTED)
    assert _new_reminder(client, event.id).status_code == 302
    assert _new_reminder(client, event.id, days="1", subject="See you tomorrow", who="all").status_code == 302
    refused = _new_reminder(client, event.id, days="40", subject="Too early")
    assert 'id="days-error"' in refused.text and "passed already" in refused.text

    listing = client.get(f"/admin/events/{event.id}/messages").text
    seven = event.local(event.starts_at - timedelta(days=7)).strftime("%d %b %Y, %H:%M")
    assert seven in listing and "7 days before the start of the event" in listing
    rows = re.findall(r"<tr>(.*?)</tr>", listing, re.S)
    practical = next(r for r in rows if "Practical information" in r)
    tomorrow = next(r for r in rows if "See you tomorrow" in r)
    assert re.search(r"<td>3 <small", practical) and re.search(r"<td>5 <small", tomorrow)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 2


def _worker(database_url: str, start, results) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    from app.services.mail.schedules import run_due

    with app.app_context(), app.test_request_context():
        try:
            start.wait()
            queued = []
            for _ in range(5):  # a few rounds, as `mail send --loop` would
                queued += run_due(db.session, now=utcnow())
            results.put(("ok", queued))
        except Exception:  # reported to the test
            results.put(("error", traceback.format_exc()))


def test_a_due_reminder_fires_exactly_once_with_two_workers_at_once(admin, client, make_event):  # noqa: F811
    event = make_event(starts_at=utcnow() + timedelta(days=30), ends_at=utcnow() + timedelta(days=32))
    add_registrations(event, 40)
    for days in ("7", "3", "1"):
        assert _new_reminder(client, event.id, days=days, subject=f"{days} days to go").status_code == 302
    # The event moves closer: two of the reminders fall due (they follow the event's dates).
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(
        starts_at=utcnow() + timedelta(days=2, hours=12), ends_at=utcnow() + timedelta(days=4)))
    db.session.commit()

    database_url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    db.engine.dispose()
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_worker, args=(database_url, start, results)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    fired = sorted(message_id for _, queued in outcomes for message_id, _count in queued)
    assert len(fired) == 2 and len(set(fired)) == 2
    emails = db.session.execute(sa.select(OutboxEmail.subject, sa.func.count()).group_by(OutboxEmail.subject)).all()
    assert sorted(emails) == [("3 days to go", 40), ("7 days to go", 40)]
    statuses = dict(db.session.execute(sa.select(Message.subject, Message.status)).all())
    assert statuses == {"7 days to go": MessageStatus.SENT, "3 days to go": MessageStatus.SENT,
                        "1 days to go": MessageStatus.SCHEDULED}


def test_reminders_are_copied_to_the_next_edition_at_the_same_distance(admin, client, make_event):  # noqa: F811
    series = create_series(client)
    year = utcnow().year - utcnow().year % 2 - 2  # an even year in the past: the next one is due
    latest = forum_edition(make_event, year)
    add_edition(client, series, latest)
    db.session.add_all([
        Message(event_id=latest.id, subject="Practical information", body="x", audience={"source": "attendees"},
                anchor=ReminderAnchor.START, offset_days=-7, status=MessageStatus.SENT, sent_at=utcnow()),
        Message(event_id=latest.id, subject="Last call", body="y", audience={"source": "attendees"},
                anchor=ReminderAnchor.DEADLINE, offset_days=-3, status=MessageStatus.DRAFT),
        Message(event_id=latest.id, subject="One-off", body="z", audience={"source": "attendees"},
                status=MessageStatus.SENT),  # not a reminder: stays behind
    ])
    db.session.commit()

    post_action(client, f"/admin/series/{series.id}", f"/admin/series/{series.id}/next-edition")

    db.session.expire_all()
    new = db.session.scalar(sa.select(Event).where(Event.id != latest.id))
    copied = db.session.scalars(sa.select(Message).where(Message.event_id == new.id).order_by(Message.id)).all()
    assert [(m.subject, m.status, m.offset_days) for m in copied] == [
        ("Practical information", MessageStatus.SCHEDULED, -7), ("Last call", MessageStatus.DRAFT, -3)]
    assert copied[0].send_at == new.starts_at - timedelta(days=7)
    assert copied[1].send_at is None and copied[1].reminder_time(new) == new.registration_closes_at - timedelta(days=3)


def test_a_cancelled_events_reminders_never_go_out(admin, client, make_event, runner):  # noqa: F811
    event = make_event(starts_at=utcnow() + timedelta(days=30), ends_at=utcnow() + timedelta(days=32))
    add_registrations(event, 2)
    assert _new_reminder(client, event.id, days="7").status_code == 302
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(
        status=EventStatus.CANCELLED, starts_at=utcnow() + timedelta(days=1), ends_at=utcnow() + timedelta(days=2)))
    db.session.commit()
    assert "no scheduled messages due" in runner.invoke(args=["mail", "schedule"]).output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 0
