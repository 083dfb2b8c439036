"""A person's data deleted (privacy): the log keeps who did what, to which record, and when, but not the values
it held about them. The one change the log's triggers allow (app/services/audit/guards.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from app.database import Session
from app.models.audit import AuditEntry
from app.services.audit.recorder import quiet, record

ERASED = "(erased)"
_TABLE = cast(sa.Table, AuditEntry.__table__)


def erase_registration(session: Session, registration_id: int, *, event_id: int, reference: str,
                       now: datetime) -> int:
    """Erase the values of every entry about this registration, then record the deletion (ids only).
    From here on, this transaction records no values (`quiet`). Returns how many entries were erased."""
    quiet(session)
    session.flush()
    entries = session.execute(
        sa.select(AuditEntry.id, AuditEntry.changes)
        .where(AuditEntry.registration_id == registration_id, AuditEntry.erased_at.is_(None))
    ).all()
    if entries:
        session.execute(
            sa.update(_TABLE).where(_TABLE.c.id == sa.bindparam("entry_id"))
            .values(changes=sa.bindparam("erased_changes"), object_label=reference, erased_at=now),
            [{"entry_id": entry_id, "erased_changes": _erased(changes)} for entry_id, changes in entries],
        )
    record(session, "personal data deleted", event_id=event_id, registration_id=registration_id, object_type="registrations",
           object_id=registration_id, object_label=reference, details={"entries erased": len(entries)})
    return len(entries)


def _erased(changes: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed stay named; their values go."""
    return {field: ERASED for field in (changes or {})}
