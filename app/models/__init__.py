"""All models, imported here so that Alembic and the app see the whole schema."""

from app.models.base import Base, utcnow
from app.models.event import Event, EventKind, EventStatus, event_managers
from app.models.outbox import OutboxEmail, OutboxStatus
from app.models.programme import ChoiceStatus, ProgrammeSession, SessionChoice, SessionKind
from app.models.registration import OrganisationType, Registration, RegistrationStatus, Title
from app.models.series import Series, YearParity
from app.models.user import User

__all__ = [
    "Base",
    "ChoiceStatus",
    "Event",
    "EventKind",
    "EventStatus",
    "OrganisationType",
    "OutboxEmail",
    "OutboxStatus",
    "ProgrammeSession",
    "Registration",
    "RegistrationStatus",
    "Series",
    "SessionChoice",
    "SessionKind",
    "Title",
    "User",
    "YearParity",
    "event_managers",
    "utcnow",
]
