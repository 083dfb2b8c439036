"""An event's or a series' own subject and body for one kind of automatic email (the defaults are in code:
app/services/mail/email_kinds.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class EmailText(Base):
    """Exactly one of `event_id` and `series_id` is set: a series' text is used by its editions that have none."""

    __tablename__ = "email_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), default=None)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), default=None)
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # The same in Korean, for registrations in Korean; empty: they get the English (app/models/bilingual.py).
    subject_ko: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    body_ko: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), default=None)

    __table_args__ = (
        sa.UniqueConstraint("event_id", "kind", name="uq_email_texts_event_kind"),
        sa.UniqueConstraint("series_id", "kind", name="uq_email_texts_series_kind"),
        sa.CheckConstraint("(event_id IS NULL) <> (series_id IS NULL)", name="one_owner"),
    )
