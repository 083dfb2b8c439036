from __future__ import annotations

import enum
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.user import User


class EventKind(enum.StrEnum):
    INTERNATIONAL_WORKSHOP = "international_workshop"
    REGIONAL_WORKSHOP = "regional_workshop"
    NATIONAL_WORKSHOP = "national_workshop"
    FORUM = "forum"

    @property
    def label(self) -> str:
        return {
            "international_workshop": "International training workshop",
            "regional_workshop": "Regional training workshop",
            "national_workshop": "National training workshop",
            "forum": "Innovation forum",
        }[self.value]

    @property
    def is_workshop(self) -> bool:
        return self is not EventKind.FORUM


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.capitalize()


event_managers = sa.Table(
    "event_managers",
    Base.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(
        sa.Enum(EventKind, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e])
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # Prefix of the participants' reference codes, e.g. DGIF26 -> DGIF26-7KQ3.
    code: Mapped[str] = mapped_column(sa.String(12))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Seoul")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(default=None)  # None: unlimited
    waiting_list_enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[EventStatus] = mapped_column(
        sa.Enum(EventStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=EventStatus.DRAFT,
    )
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    managers: Mapped[list[User]] = relationship(secondary=event_managers)

    __table_args__ = (
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        """A stored UTC moment as the clock on the wall at the venue shows it."""
        return moment.astimezone(self.tz)

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
