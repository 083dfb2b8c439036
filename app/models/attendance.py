"""Who came: one check-in per registration, event day and (where the event has sessions) session."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.programme import ProgrammeSession
from app.models.registration import Registration
from app.models.user import User

_NO_SESSION = sa.text("session_id IS NULL")
_A_SESSION = sa.text("session_id IS NOT NULL")


class CheckIn(Base):
    """A participant seen at the venue on `day` (the venue's calendar day), at a session or at the door.

    A row without a session is the day's attendance; a row with one is attendance of that session.
    NULLs are distinct in a UNIQUE constraint, so "one door check-in per day" is a partial unique
    index of its own; both indexes are the conflict targets that make a double scan insert nothing.
    """

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programme_sessions.id", ondelete="CASCADE"), default=None, index=True,
    )
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        "checked_in_by", sa.ForeignKey("users.id", ondelete="SET NULL"), default=None,
    )

    registration: Mapped[Registration] = relationship()
    session: Mapped[ProgrammeSession | None] = relationship()
    checked_in_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index(
            "uq_check_ins_registration_day", "registration_id", "day", unique=True,
            postgresql_where=_NO_SESSION, sqlite_where=_NO_SESSION,
        ),
        sa.Index(
            "uq_check_ins_registration_day_session", "registration_id", "day", "session_id", unique=True,
            postgresql_where=_A_SESSION, sqlite_where=_A_SESSION,
        ),
        sa.Index("ix_check_ins_day", "day"),
        # The partial indexes serve neither "all days of a person" (certificates) nor the matrix.
        sa.Index("ix_check_ins_registration_id_day", "registration_id", "day"),
    )

    def __repr__(self) -> str:
        return f"<CheckIn reg={self.registration_id} {self.day} session={self.session_id}>"
