"""The log read by people: what kind of thing changed, each field's name, its values before → after as the
pages show them elsewhere (labels of choices, dates at the venue, country names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapper

from app.models import AuditEntry, Base
from app.models.base import UTCDateTime
from app.services.audit.recorder import table_name
from app.services.countries import country_name
from app.services.formatting import format_local

OBJECT_NAMES = {
    "answers": _l("Answer"), "applications": _l("Application"), "certificates": _l("Certificate"),
    "check_ins": _l("Check-in"), "document_images": _l("Signature or stamp image"),
    "document_settings": _l("Document wording"), "email_texts": _l("Email text"), "events": _l("Event settings"),
    "messages": _l("Message"), "programme_sessions": _l("Programme session"), "questions": _l("Form question"),
    "registrations": _l("Registration"), "reviews": _l("Review and score"), "series": _l("Series"),
    "session_choices": _l("Session choice"), "team_members": _l("Team member"),
    "travel_support_requests": _l("Travel support"), "uploads": _l("Uploaded file"), "users": _l("Account"),
    "visa_requests": _l("Visa letter request"),
}
# Every field a person may see in the log, named in the page's language (others show as stored). "title" is left
# out: it is a registration's form of address but a session's or question's heading, one word for two things.
FIELD_NAMES = {
    "own_title": _l("Event title"), "given_name": _l("Given name"), "family_name": _l("Family name"),
    "checked_in_by": _l("Checked in by"), "value": _l("Answer"), "accessibility_needs": _l("Accessibility needs"),
    "anonymised_at": _l("Anonymised at"), "approved_at": _l("Approved at"), "archived_at": _l("Archived at"),
    "asks_gender": _l("Asks gender"), "attendance_confirmed_at": _l("Attendance confirmed at"),
    "badge_heading": _l("Badge heading"), "body": _l("Body"), "cancellation_reason": _l("Cancellation reason"),
    "cancelled_at": _l("Cancelled at"), "capacity": _l("Capacity"), "certificate_body": _l("Certificate body"),
    "certificate_threshold": _l("Certificate threshold"), "checked_in_at": _l("Checked in at"), "city": _l("City"),
    "code": _l("Code"), "confirm_by": _l("Confirm by"), "confirm_within_days": _l("Confirm within days"),
    "confirmed_at": _l("Confirmed at"), "consent_at": _l("Consent at"), "contact_email": _l("Contact email"),
    "country": _l("Country"), "date_of_birth": _l("Date of birth"), "day": _l("Day"),
    "decided_at": _l("Decided at"), "decision": _l("Decision"),
    "deletion_requested_at": _l("Deletion requested at"), "description": _l("Description"),
    "details_editable_until": _l("Details editable until"), "dietary_needs": _l("Dietary needs"),
    "email": _l("Email"), "ends_at": _l("Ends at"), "estimated_amount": _l("Estimated amount"),
    "estimated_currency": _l("Estimated currency"), "first_year": _l("First year"), "gender": _l("Gender"),
    "granted_amount": _l("Granted amount"), "granted_currency": _l("Granted currency"),
    "help_text": _l("Help text"), "interval_years": _l("Interval years"), "is_admin": _l("Is admin"),
    "issued_at": _l("Issued at"), "kind": _l("Kind"), "label": _l("Label"), "letter_body": _l("Letter body"),
    "max_value": _l("Max value"), "message": _l("Message"), "min_value": _l("Min value"), "name": _l("Name"),
    "names_locked": _l("Names locked"), "nationality": _l("Nationality"),
    "needs_visa_letter": _l("Needs visa letter"), "note": _l("Note"), "notes": _l("Notes"),
    "off_rule_reason": _l("Off rule reason"), "options": _l("Options"), "organisation": _l("Organisation"),
    "organisation_type": _l("Organisation type"), "organiser_alerts": _l("Organiser alerts"),
    "passport_expiry": _l("Passport expiry"), "passport_name": _l("Passport name"),
    "passport_number": _l("Passport number"), "phone": _l("Phone"), "position": _l("Position"),
    "purged_at": _l("Purged at"), "reference": _l("Reference"),
    "registration_closes_at": _l("Registration closes at"), "registration_mode": _l("Registration mode"),
    "registration_opens_at": _l("Registration opens at"), "required": _l("Required"),
    "resolved_at": _l("Resolved at"), "retention_months": _l("Retention months"), "role": _l("Role"),
    "room": _l("Room"), "score": _l("Score"), "seat_limit": _l("Seat limit"), "send_at": _l("Send at"),
    "sent_at": _l("Sent at"), "series_year": _l("Series year"), "signatory_name": _l("Signatory name"),
    "signatory_title": _l("Signatory title"), "slug": _l("Slug"), "starts_at": _l("Starts at"),
    "status": _l("Status"), "subject": _l("Subject"), "submitted_at": _l("Submitted at"), "summary": _l("Summary"),
    "timezone": _l("Timezone"), "title_pattern": _l("Title pattern"),
    "travel_budget_amount": _l("Travel budget amount"), "travel_budget_currency": _l("Travel budget currency"),
    "usual_month": _l("Usual month"), "venue": _l("Venue"), "waiting_list_enabled": _l("Waiting list enabled"),
    "waitlisted_at": _l("Waitlisted at"), "wants_accommodation": _l("Wants accommodation"),
    "wants_flight": _l("Wants flight"), "wants_per_diem": _l("Wants per diem"), "withdrawn_at": _l("Withdrawn at"),
    "year_parity": _l("Year parity"), "file": _l("File")
}
# The log stores its actions as codes (app/services/audit/recorder.py and the callers of record()); people read
# them in their language. A code missing here shows as it is stored.
ACTION_NAMES = {
    "created": _l("created"), "changed": _l("changed"), "deleted": _l("deleted"),
    "personal data deleted": _l("personal data deleted"), "passport data deleted": _l("passport data deleted"),
    "passport data viewed": _l("passport data viewed"), "passport data exported": _l("passport data exported"),
    "visa letter viewed": _l("visa letter viewed"), "file downloaded": _l("file downloaded"),
    "entries erased": _l("entries erased"),
}
# The labels of the actors that are not a person (app/services/audit/actors.py), stored as written there.
ACTOR_NAMES = {
    "System": _l("System"), "Participant via personal link": _l("Participant via personal link"),
    "Public registration form": _l("Public registration form"), "Someone not signed in": _l("Someone not signed in"),
}
COUNTRY_FIELDS = frozenset({"country", "nationality"})
EMPTY = "—"


@dataclass(frozen=True)
class Line:
    field: str
    before: str
    after: str


def object_name(object_type: str) -> str:
    name = OBJECT_NAMES.get(object_type)
    return str(name) if name is not None else object_type.replace("_", " ").capitalize()


def actor_name(label: str) -> str:
    """Who acted, in the page's language when it is not a person (a person's name shows as stored)."""
    name = ACTOR_NAMES.get(label)
    return str(name) if name is not None else label


def action_name(action: str) -> str:
    name = ACTION_NAMES.get(action)
    return str(name) if name is not None else action


def lines(entry: AuditEntry, tz: str) -> list[Line]:
    """One line per changed field (or, for a named action, per detail)."""
    mapper = _mappers().get(entry.object_type)
    result = []
    for key, change in (entry.changes or {}).items():
        name = FIELD_NAMES.get(key)
        label = str(name) if name is not None else key.replace("_", " ").capitalize()
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
        return _("Yes") if value else _("No")
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
