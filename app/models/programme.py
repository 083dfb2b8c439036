from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.bilingual import localized
from app.models.event import Event
from app.models.registration import Registration


class SessionKind(enum.StrEnum):
    CEREMONY = "ceremony"
    PLENARY = "plenary"
    PARALLEL = "parallel"
    TRAINING = "training"
    SITE_VISIT = "site_visit"
    SOCIAL = "social"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str({
            "ceremony": _l("Ceremony"),
            "plenary": _l("Plenary session"),
            "parallel": _l("Parallel session"),
            "training": _l("Training programme"),
            "site_visit": _l("Site visit"),
            "social": _l("Reception / dinner"),
            "other": _l("Other"),
        }[self.value])


class ProgrammeSession(Base):
    """One part of an event's programme, with its own seats when seat_limit is set."""

    __tablename__ = "programme_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(string_enum(SessionKind, 20), default=SessionKind.OTHER)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    # In Korean, optional: the English shows where one is empty (app/models/bilingual.py).
    title_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    room_ko: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seat_limit: Mapped[int | None] = mapped_column(default=None)  # None: no limit
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When its time, room or words last changed: calendars take a change only with a higher SEQUENCE.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="programme")

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("seat_limit IS NULL OR seat_limit >= 0", name="seat_limit_not_negative"),
    )

    @property
    def shown_title(self) -> str:
        """The title in the current language."""
        return localized(self, "title")

    @property
    def shown_description(self) -> str:
        return localized(self, "description")

    @property
    def shown_room(self) -> str:
        return localized(self, "room")

    def overlaps(self, other: ProgrammeSession) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def __repr__(self) -> str:
        return f"<ProgrammeSession {self.id} {self.title!r}>"


class ChoiceStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"

    @property
    def label(self) -> str:
        return str({"confirmed": _l("Seat confirmed"), "waitlisted": _l("On the waiting list")}[self.value])


class SessionChoice(Base):
    """A participant's choice of a session: a seat, or a place in that session's waiting list.

    Only confirmed registrations hold seats; a registration waiting for the event waits for
    its sessions too, and gets its seats (if still free) when it is promoted.
    """

    __tablename__ = "session_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_sessions.id", ondelete="CASCADE"))
    status: Mapped[ChoiceStatus] = mapped_column(string_enum(ChoiceStatus, 20))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the waiting-list order
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    registration: Mapped[Registration] = relationship()
    session: Mapped[ProgrammeSession] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("registration_id", "session_id", name="uq_session_choices_registration_session"),
        sa.Index("ix_session_choices_session_status", "session_id", "status"),
    )
