"""Messages organisers write to a chosen group of an event's people, now, at a set time, or as a reminder
relative to the event's start or its registration deadline."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.event import Event
from app.models.user import User


class MessageStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENT = "sent"

    @property
    def label(self) -> str:
        return str({"draft": _l("Draft"), "scheduled": _l("Scheduled"), "sent": _l("Sent")}[self.value])


class ReminderAnchor(enum.StrEnum):
    """What a reminder's time is counted from."""

    START = "start"
    DEADLINE = "deadline"

    @property
    def label(self) -> str:
        return str({"start": _l("the start of the event"), "deadline": _l("the registration deadline")}[self.value])


class Message(Base):
    """An email to a group of an event's people. `audience` is the filter (see mail/audiences.py), kept as
    parameters so that a scheduled message goes to whoever matches when it is sent."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    audience: Mapped[dict] = mapped_column(sa.JSON)
    # The PDF sent with it, stored like the answers' uploads (a random name under UPLOAD_FOLDER/messages).
    attachment_name: Mapped[str | None] = mapped_column(sa.String(120), default=None)
    attachment_stored_name: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    attachment_size: Mapped[int | None] = mapped_column(default=None)
    status: Mapped[MessageStatus] = mapped_column(string_enum(MessageStatus, 20), default=MessageStatus.DRAFT)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # A reminder: sent offset_days after the anchor (negative: before); send_at follows the event's dates.
    anchor: Mapped[ReminderAnchor | None] = mapped_column(string_enum(ReminderAnchor, 20), default=None)
    offset_days: Mapped[int | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    recipient_count: Mapped[int | None] = mapped_column(default=None)

    event: Mapped[Event] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_messages_due", "status", "send_at"),)

    @property
    def is_reminder(self) -> bool:
        return self.anchor is not None

    @property
    def is_sent(self) -> bool:
        return self.status is MessageStatus.SENT

    def reminder_time(self, event: Event) -> datetime | None:
        """When the reminder goes out for the event's current dates."""
        if self.anchor is None or self.offset_days is None:
            return None
        base = event.starts_at if self.anchor is ReminderAnchor.START else event.registration_closes_at
        return base + timedelta(days=self.offset_days)

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.status} {self.subject!r}>"
