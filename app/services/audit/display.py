"""The log read by people: what kind of thing changed, each field's name, its values before → after as the
pages show them elsewhere (labels of choices, dates at the venue, country names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapper

from app.models import AuditEntry, Base
from app.models.base import UTCDateTime
from app.services.audit.recorder import table_name
from app.services.countries import country_name
from app.services.formatting import format_local

OBJECT_NAMES = {
    "answers": "Answer", "applications": "Application", "certificates": "Certificate", "check_ins": "Check-in",
    "document_images": "Signature or stamp image", "document_settings": "Document wording",
    "email_texts": "Email text", "events": "Event settings", "messages": "Message",
    "programme_sessions": "Programme session", "questions": "Form question", "registrations": "Registration",
    "reviews": "Review and score", "series": "Series", "session_choices": "Session choice", "team_members": "Team member",
    "travel_support_requests": "Travel support", "uploads": "Uploaded file", "users": "Account",
    "visa_requests": "Visa letter request",
}
FIELD_NAMES = {"own_title": "Title", "given_name": "Given name", "family_name": "Family name",
               "checked_in_by": "Checked in by", "value": "Answer"}
COUNTRY_FIELDS = frozenset({"country", "nationality"})
EMPTY = "—"


@dataclass(frozen=True)
class Line:
    field: str
    before: str
    after: str


def object_name(object_type: str) -> str:
    return OBJECT_NAMES.get(object_type) or object_type.replace("_", " ").capitalize()


def lines(entry: AuditEntry, tz: str) -> list[Line]:
    """One line per changed field (or, for a named action, per detail)."""
    mapper = _mappers().get(entry.object_type)
    result = []
    for key, change in (entry.changes or {}).items():
        label = FIELD_NAMES.get(key) or key.replace("_", " ").capitalize()
        if isinstance(change, dict):  # a collection: who was added, who removed
            result.append(Line(label, ", ".join(change.get("removed", [])) or EMPTY,
                               ", ".join(change.get("added", [])) or EMPTY))
        elif isinstance(change, list) and len(change) == 2:
            column = _column(mapper, key)
            result.append(Line(label, _value(column, key, change[0], tz), _value(column, key, change[1], tz)))
        else:  # a named action's detail: shown as it is
            result.append(Line(label, "", _value(None, key, change, tz)))
    return result


@cache
def _mappers() -> dict[str, Mapper]:
    return {table_name(mapper): mapper for mapper in Base.registry.mappers}


def _column(mapper: Mapper | None, key: str) -> sa.Column | None:
    if mapper is None or key not in mapper.column_attrs:
        return None
    return cast(sa.Column, mapper.column_attrs[key].columns[0])


def _value(column: sa.Column | None, key: str, value: Any, tz: str) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or EMPTY
    kind = column.type if column is not None else None
    try:
        if isinstance(kind, sa.Enum) and kind.enum_class is not None and issubclass(kind.enum_class, Enum):
            member = kind.enum_class(value)
            return str(getattr(member, "label", member.value))
        if isinstance(kind, UTCDateTime):
            return format_local(datetime.fromisoformat(value), tz)
        if isinstance(kind, sa.Date):
            return date.fromisoformat(value).strftime("%d %b %Y")
    except (TypeError, ValueError):  # a value from before a model changed: shown as it was stored
        pass
    if key in COUNTRY_FIELDS and isinstance(value, str) and len(value) == 2:
        return country_name(value)
    return str(value)
