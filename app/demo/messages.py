"""Demo messages: a sent message, a draft and reminders, for the forum that is open (the messages pages)."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.database import Session
from app.models import Event, Message, MessageStatus, ReminderAnchor, User


def add_messages(session: Session, forum: Event, *, now: datetime, by: User) -> None:
    confirmed = {"source": "attendees", "status": "confirmed"}
    session.add_all([
        Message(event=forum, subject="Call for speakers: {event_title}", created_by=by, created_at=now - timedelta(days=9),
                body="Dear {name},\n\nWould you like to present your science park at {the_event}? Reply to this email.",
                audience={"source": "attendees", "status": "confirmed", "country": "KE"},
                status=MessageStatus.SENT, sent_at=now - timedelta(days=9), recipient_count=3),
        Message(event=forum, subject="Hotel booking for {first_name}", created_by=by, created_at=now,
                body="Dear {name},\n\nThe partner hotels are listed on {event_link}.", audience=confirmed),
        Message(event=forum, subject="Practical information: {event_title}", created_by=by, created_at=now,
                body="Dear {name},\n\nThe forum starts in a week in {venue}. Your sessions:\n{sessions}\n\n{personal_link}",
                audience=confirmed, anchor=ReminderAnchor.START, offset_days=-7, status=MessageStatus.SCHEDULED,
                send_at=forum.starts_at - timedelta(days=7)),
        Message(event=forum, subject="See you tomorrow", created_by=by, created_at=now,
                body="Dear {name},\n\nSee you tomorrow at {venue}!", audience=confirmed,
                anchor=ReminderAnchor.START, offset_days=-1, status=MessageStatus.SCHEDULED,
                send_at=forum.starts_at - timedelta(days=1)),
    ])
    session.flush()
