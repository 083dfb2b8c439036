"""Scheduled messages and reminders turned into outbox emails when they fall due: exactly once, even with
several workers (`flask mail schedule`, and `flask mail send --loop` each round).

A worker claims one due message at a time: SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (another worker
skips it), BEGIN IMMEDIATE on SQLite (workers take turns), and the same transaction marks it sent and writes
its outbox emails. A second worker that reaches the message afterwards finds it no longer "scheduled".
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from app.database import Session, begin_write
from app.models import Event, EventStatus, Message, MessageStatus
from app.services.mail.messages import queue

log = logging.getLogger(__name__)


def follow_event_dates(session: Session) -> None:
    """Reminders keep their distance to the event's dates when those are moved (only changed rows are written)."""
    session.rollback()
    begin_write(session)
    for message, event in session.execute(
        sa.select(Message, Event).join(Event, Event.id == Message.event_id)
        .where(Message.status == MessageStatus.SCHEDULED, Message.anchor.is_not(None))
    ).all():
        moment = message.reminder_time(event)
        if moment is not None and moment != message.send_at:
            message.send_at = moment
    session.commit()


def run_due(session: Session, *, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
    """Queue every due scheduled message and reminder; returns (message id, emails queued) for each.
    Commits as it goes, one message per transaction."""
    follow_event_dates(session)
    done = []
    for _ in range(limit):
        session.rollback()
        begin_write(session)
        message = session.scalar(
            sa.select(Message)
            .join(Event, Event.id == Message.event_id)
            # A cancelled event's reminders never go out; a draft's wait until it is published.
            .where(Message.status == MessageStatus.SCHEDULED, Message.send_at <= now,
                   Event.status == EventStatus.PUBLISHED)
            .order_by(Message.send_at, Message.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=Message)
        )
        if message is None:
            session.rollback()
            break
        count = queue(session, message, now=now)
        session.commit()
        log.info("message %s queued to %s people", message.id, count)
        done.append((message.id, count))
    return done
