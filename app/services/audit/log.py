"""Reading the audit log: an event's, filtered and paged, newest first; a registration's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.database import Session
from app.models import AuditEntry, Registration
from app.models.names import written_name
from app.services.paging import Page, paginate


@dataclass(frozen=True)
class LogQuery:
    actor: str = ""  # the actor's label as logged
    object_type: str = ""  # a table name
    since: date | None = None  # days at the event's venue, both included
    until: date | None = None


@dataclass(frozen=True)
class LogRow:
    entry: AuditEntry
    person: str  # the registration the entry is about, if any ("" when none or since deleted)


def event_log(session: Session, event_id: int, query: LogQuery, *, tz: str, page: int, per_page: int) -> Page[LogRow]:
    conditions = [AuditEntry.event_id == event_id, *_filters(query, tz)]
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(*conditions)) or 0

    def rows(limit: int, offset: int) -> list[LogRow]:
        statement = (
            sa.select(AuditEntry, Registration.given_name, Registration.family_name, Registration.name_order,
                      Registration.single_name)
            .outerjoin(Registration, Registration.id == AuditEntry.registration_id)
            .where(*conditions).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        )
        # None throughout when the entry is about no registration (or one since deleted): "".
        return [LogRow(entry, written_name(given or "", family or "", order, single=bool(single)))
                for entry, given, family, order, single in session.execute(statement).tuples()]

    return paginate(total, page, per_page, rows)


def registration_history(session: Session, registration_id: int) -> list[AuditEntry]:
    """Oldest first, as a story; it starts with the registration's own creation (see the page)."""
    return list(session.scalars(
        sa.select(AuditEntry).where(AuditEntry.registration_id == registration_id).order_by(AuditEntry.id)
    ))


def actors_in_log(session: Session, event_id: int) -> list[str]:
    return list(session.scalars(
        sa.select(AuditEntry.actor_label).where(AuditEntry.event_id == event_id).distinct().order_by(AuditEntry.actor_label)
    ))


def object_types_in_log(session: Session, event_id: int) -> list[str]:
    return list(session.scalars(
        sa.select(AuditEntry.object_type).where(AuditEntry.event_id == event_id).distinct().order_by(AuditEntry.object_type)
    ))


def _filters(query: LogQuery, tz: str) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if query.actor:
        conditions.append(AuditEntry.actor_label == query.actor)
    if query.object_type:
        conditions.append(AuditEntry.object_type == query.object_type)
    if query.since:
        conditions.append(AuditEntry.at >= _start_of(query.since, tz))
    if query.until:
        conditions.append(AuditEntry.at < _start_of(query.until + timedelta(days=1), tz))
    return conditions


def _start_of(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)
