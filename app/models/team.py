"""Who works on which event, and as what: an event's (or a series') team."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.user import User

if TYPE_CHECKING:
    from app.models.event import Event
    from app.models.series import Series


class TeamRole(enum.StrEnum):
    """What a team member may do is in app/services/people/permissions.py (ROLE_CAPABILITIES)."""

    MANAGER = "manager"
    REVIEWER = "reviewer"
    CHECK_IN = "check_in"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return str({"manager": _l("Manager"), "reviewer": _l("Reviewer"), "check_in": _l("Check-in staff"),
                    "viewer": _l("Viewer")}[self.value])

    @property
    def description(self) -> str:
        return str({
            "manager": _l("everything for the event: settings, lists, exports, passport data, decisions, the team"),
            "reviewer": _l("applications, their answers and uploads; scores and comments; no exports, no decisions"),
            "check_in": _l("only the check-in page and the attendance counts"),
            "viewer": _l("read-only lists; no passport data, no exports"),
        }[self.value])


class TeamMember(Base):
    """One person's role on one event, or on a series (then on each of its editions too)."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), default=None)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), default=None)
    # Not logged as a number: the audit log names the person in the entry's label (services/audit/recorder.py).
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True,
                                         info={"audit": "skip"})
    role: Mapped[TeamRole] = mapped_column(string_enum(TeamRole, 20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    event: Mapped[Event | None] = relationship(back_populates="team")
    series: Mapped[Series | None] = relationship(back_populates="team")

    __table_args__ = (
        # A team belongs to an event or to a series, never both: a series role reaches editions by inheritance.
        sa.CheckConstraint("(event_id IS NULL) <> (series_id IS NULL)", name="event_or_series"),
        sa.UniqueConstraint("event_id", "user_id"),  # one role per person and event
        sa.UniqueConstraint("series_id", "user_id"),
    )

    def __repr__(self) -> str:
        return f"<TeamMember user={self.user_id} event={self.event_id} series={self.series_id} {self.role}>"
