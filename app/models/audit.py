"""The audit log: who changed what, when. Append-only (app/services/audit/, docs/features/audit-log.md)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, string_enum, utcnow


class ActorKind(enum.StrEnum):
    USER = "user"  # a signed-in organiser
    PARTICIPANT = "participant"  # someone using their personal link
    PUBLIC = "public"  # someone not signed in (the public registration form, a reset link)
    SYSTEM = "system"  # the CLI, the mail worker, scheduled jobs

    @property
    def label(self) -> str:
        return str({"user": _l("Organiser"), "participant": _l("Participant via personal link"),
                    "public": _l("Someone not signed in"), "system": _l("System")}[self.value])


class AuditEntry(Base):
    """One change or one named action. Never deleted, and updated once at most: when the person it is about
    has their data deleted (privacy), its values are erased (`erased_at` set). Nothing else: there is no code
    path for it, and the database refuses it (triggers, app/services/audit/guards.py). It has no foreign keys on purpose:
    the log outlives the events, registrations and accounts it speaks of."""

    __tablename__ = "audit_entries"
    __audit__ = False  # logging the log would never end

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_kind: Mapped[ActorKind] = mapped_column(string_enum(ActorKind, 20))
    actor_user_id: Mapped[int | None] = mapped_column(default=None)
    # Who it was, as shown then ("Ana Lee <ana@wtanet.org>"): still readable after the account is gone.
    actor_label: Mapped[str] = mapped_column(sa.String(300), default="")
    event_id: Mapped[int | None] = mapped_column(default=None)
    registration_id: Mapped[int | None] = mapped_column(default=None)
    object_type: Mapped[str] = mapped_column(sa.String(60))  # the table name: "registrations", "events"
    object_id: Mapped[str | None] = mapped_column(sa.String(60), default=None)
    # What it was called then ("DGIF26-7KQ3 Amina Diallo", an event's title), for deleted objects too.
    object_label: Mapped[str] = mapped_column(sa.String(300), default="")
    # "created", "changed", "deleted", or a named action such as "passport data viewed".
    action: Mapped[str] = mapped_column(sa.String(60))
    # {column: [before, after]} for changes (masked where secret); for named actions, their details.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # When the values above were erased because the person's data was deleted (who did what, when, stays).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        sa.Index("ix_audit_entries_event_id_id", "event_id", "id"),
        sa.Index("ix_audit_entries_registration_id_id", "registration_id", "id"),
    )

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.object_type}:{self.object_id} {self.action}>"
