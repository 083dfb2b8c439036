from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, string_enum, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


class OutboxEmail(Base):
    """An email written in the same transaction as the change it reports.

    The web request only inserts rows here; `flask mail send` delivers them, so a
    registration succeeds while the mail server is down and no email is lost on a crash.
    """

    __tablename__ = "outbox_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # template name, e.g. "registration_confirmed"
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), default=None, index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # Where replies go: the event's contact address. None (emails queued before there was one) means
    # MAIL_REPLY_TO, or else the sender.
    reply_to: Mapped[str | None] = mapped_column(sa.String(254), default=None)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # [{"filename": ..., "content_type": ..., "content": str}] - text attachments such as .ics;
    # binary ones carry "content_base64" instead, and documents made at sending time (PDF certificates)
    # "generated" and "id" (see mailer.GENERATED_ATTACHMENTS).
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Not yet written: what the email must say, fixed when it was queued ({"status", "language"}); the
    # mail worker writes subject, bodies and attachments from it before sending (mail/drafts.py), then
    # empties it. Until then those columns are "".
    draft: Mapped[dict | None] = mapped_column(sa.JSON, default=None)
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus, 20),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (sa.Index("ix_outbox_emails_due", "status", "next_attempt_at"),)

    @property
    def is_draft(self) -> bool:
        return self.draft is not None

    def __repr__(self) -> str:
        return f"<OutboxEmail {self.id} {self.kind} to {self.to_address} {self.status}>"
