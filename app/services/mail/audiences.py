"""Who a message goes to: the attendee list's filter, the application list's, a session's people, or the rows an
organiser ticked, kept as plain parameters (a dict stored on the message) and turned into one select."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.database import Session
from app.models import (
    Application,
    ApplicationStatus,
    ChoiceStatus,
    Event,
    OrganisationType,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    SessionChoice,
    TravelDecision,
    TravelSupportRequest,
    utcnow,
)
from app.services.applications.application_list import ApplicationQuery
from app.services.applications.application_list import _filters as application_filters
from app.services.applications.confirmations import Confirmation
from app.services.countries import country_name
from app.services.numbers import small_int
from app.services.registration.attendees import AttendeeQuery, _filtered

ATTENDEES, APPLICATIONS, SESSION, TICKED = "attendees", "applications", "session", "ticked"
MAX_TICKED = 1000


def from_args(args: Any) -> dict:
    """The audience a list page's "Email these people" link or ticked-rows form describes (its query string).
    Unknown values are dropped rather than refused: the compose page shows whom it found."""
    source = args.get("source", ATTENDEES)
    if source == TICKED:
        ids = [n for n in (small_int(value) for value in args.getlist("ids")) if n is not None and n > 0]
        return {"source": TICKED, "ids": list(dict.fromkeys(ids))[:MAX_TICKED]}
    if source == SESSION:
        place = args.get("place", "")
        return {"source": SESSION, "session_id": small_int(args.get("session_id"), default=0),
            "place": place if place in {c.value for c in ChoiceStatus} else ""}
    common = {
        "q": (args.get("q") or "").strip()[:200],
        "country": (args.get("country") or "").upper()[:2],
        "organisation_type": _member(OrganisationType, args.get("organisation_type")),
    }
    if source == APPLICATIONS:
        audience = {"source": APPLICATIONS, **common, "status": _member(ApplicationStatus, args.get("status")),
                    "travel": "y" if args.get("travel") else "",
                    "travel_granted": "y" if args.get("travel_granted") else ""}
        # The list's Coming? and Likely duplicates filters, kept only when used (older audiences lack them).
        if _member(Confirmation, args.get("confirmation")):
            audience["confirmation"] = args.get("confirmation")
        if args.get("duplicates"):
            audience["duplicates"] = "y"
        return audience
    return {"source": ATTENDEES, **common, "status": _member(RegistrationStatus, args.get("status")),
            "checked_in": args.get("checked_in") if args.get("checked_in") in ("yes", "no") else ""}


def clean(audience: Any) -> dict:
    """A stored or posted audience read back the same way (a hidden field can be edited)."""
    if not isinstance(audience, dict):
        return from_args(_Args({}))
    return from_args(_Args(audience))


class _Args:
    def __init__(self, values: dict) -> None:
        self.values = values

    def get(self, key: str, default: Any = None) -> Any:
        # Text, as from a query string, whatever JSON the hidden field was edited to hold (a list, a number).
        value = self.values.get(key, default)
        return "" if value is None or isinstance(value, (list, dict)) else str(value)

    def getlist(self, key: str) -> list:
        value = self.values.get(key) or []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _member(enum_cls: Any, value: Any) -> str:
    return value if value in {member.value for member in enum_cls} else ""


def recipient_select(event_id: int, audience: dict) -> sa.Select:
    """The ids of the audience's registrations in the event, in a stable order (family name, given name, id).
    Cancelled registrations are left out unless the filter asks for them by status."""
    statement = sa.select(Registration.id).where(Registration.event_id == event_id)
    source = audience.get("source")
    if source == TICKED:
        statement = statement.where(Registration.id.in_(audience.get("ids") or [0]))
    elif source == SESSION:
        choices = sa.select(SessionChoice.registration_id).where(SessionChoice.session_id == audience.get("session_id"))
        if audience.get("place"):
            choices = choices.where(SessionChoice.status == ChoiceStatus(audience["place"]))
        statement = statement.where(Registration.id.in_(choices), Registration.status != RegistrationStatus.CANCELLED)
    elif source == APPLICATIONS:
        statement = application_filters(statement.join(Application, Application.registration_id == Registration.id),
                                         event_id, ApplicationQuery(
            search=audience.get("q", ""), status=ApplicationStatus(audience["status"]) if audience.get("status") else None,
            country=audience.get("country") or None,
            organisation_type=OrganisationType(audience["organisation_type"]) if audience.get("organisation_type") else None,
            travel_requested=bool(audience.get("travel")),
            confirmation=Confirmation(audience["confirmation"]) if audience.get("confirmation") else None,
            likely_duplicates=bool(audience.get("duplicates")),
            now=utcnow(),  # "overdue" as of the moment the message goes out (a scheduled one: then)
        ))
        if audience.get("travel_granted"):
            statement = statement.where(sa.exists(
                sa.select(TravelSupportRequest.id).where(
                    TravelSupportRequest.registration_id == Registration.id,
                    TravelSupportRequest.decision.in_([TravelDecision.GRANTED, TravelDecision.PARTLY]),
                ).correlate(Registration)
            ))
    else:
        status = RegistrationStatus(audience["status"]) if audience.get("status") else None
        statement = _filtered(statement, AttendeeQuery(
            search=audience.get("q", ""), status=status, country=audience.get("country") or None,
            organisation_type=OrganisationType(audience["organisation_type"]) if audience.get("organisation_type") else None,
            checked_in={"yes": True, "no": False}.get(audience.get("checked_in") or ""),
        ))
        if status is None:
            statement = statement.where(Registration.status != RegistrationStatus.CANCELLED)
    return statement.order_by(Registration.sort_name, Registration.id)


def count(session: Session, event_id: int, audience: dict) -> int:
    ids = recipient_select(event_id, audience).order_by(None).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def describe(session: Session, event: Event, audience: dict) -> str:
    """The audience in words, e.g. "Attendee list: status Confirmed, country Kenya"."""
    source = audience.get("source")
    if source == TICKED:
        ticked = len(audience.get("ids") or [])
        return ngettext("The %(num)d person ticked in the list", "The %(num)d people ticked in the list", ticked)
    if source == SESSION:
        programme_session = session.get(ProgrammeSession, audience.get("session_id") or 0)
        title = programme_session.title if programme_session and programme_session.event_id == event.id else "?"
        if audience.get("place") == "confirmed":
            return _("Everyone with a seat in “%(title)s”", title=title)
        if audience.get("place") == "waitlisted":
            return _("Everyone waiting for a seat in “%(title)s”", title=title)
        return _("Everyone with a seat or waiting in “%(title)s”", title=title)
    parts = []
    if audience.get("status"):
        enum_cls = ApplicationStatus if source == APPLICATIONS else RegistrationStatus
        parts.append(_("status %(status)s", status=enum_cls(audience["status"]).label))
    if audience.get("country"):
        parts.append(_("country %(country)s", country=country_name(audience["country"])))
    if audience.get("organisation_type"):
        parts.append(_("organisation type %(type)s", type=OrganisationType(audience["organisation_type"]).label))
    if audience.get("checked_in"):
        parts.append(_("checked in") if audience["checked_in"] == "yes" else _("not checked in"))
    if audience.get("q"):
        parts.append(_("matching “%(search)s”", search=audience["q"]))
    if audience.get("travel"):
        parts.append(_("asked for travel support"))
    if audience.get("travel_granted"):
        parts.append(_("travel support granted"))
    if audience.get("confirmation"):
        parts.append(Confirmation(audience["confirmation"]).label.lower())
    if audience.get("duplicates"):
        parts.append(_("likely duplicates"))
    what = _("Applications") if source == APPLICATIONS else _("Attendee list")
    rest = ", ".join(parts) if parts else _("everyone")
    if source != APPLICATIONS and not audience.get("status"):
        rest = _("%(audience)s (cancelled registrations left out)", audience=rest)
    return _("%(list)s: %(audience)s", list=what, audience=rest)


# The audiences a reminder can choose from (a reminder has no list page to start from).
def reminder_audiences(event: Event) -> list[tuple[str, str, dict]]:
    options = [
        ("confirmed", _("Everyone with a place (confirmed)"), {"source": ATTENDEES, "status": "confirmed"}),
        ("waitlisted", _("Everyone on the waiting list"), {"source": ATTENDEES, "status": "waitlisted"}),
        ("all", _("Everyone with a place or on the waiting list"), {"source": ATTENDEES}),
    ]
    if event.takes_applications:
        options += [
            ("accepted", _("Accepted applicants"), {"source": APPLICATIONS, "status": "accepted"}),
            ("accepted_travel", _("Accepted applicants with travel support"),
             {"source": APPLICATIONS, "status": "accepted", "travel_granted": "y"}),
            ("submitted", _("Applicants waiting for a decision (submitted)"),
             {"source": APPLICATIONS, "status": "submitted"}),
        ]
    return [(key, label, clean(audience)) for key, label, audience in options]
