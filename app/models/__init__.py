"""All models, imported here so that Alembic and the app see the whole schema."""

from app.models.applications import Application, ApplicationStatus, Review, TravelDecision, TravelSupportRequest
from app.models.attendance import CheckIn
from app.models.audit import ActorKind, AuditEntry
from app.models.base import Base, utcnow
from app.models.corrections import CorrectionRequest, ReplacedDocument, ReplacedDocumentKind
from app.models.documents import (
    Certificate,
    DocumentImage,
    DocumentImageKind,
    DocumentSettings,
    VisaRequest,
    VisaRequestStatus,
)
from app.models.email_texts import EmailText
from app.models.event import Event, EventKind, EventStatus, OrganiserAlerts, RegistrationMode
from app.models.messages import Message, MessageStatus, ReminderAnchor
from app.models.names import NameOrder
from app.models.outbox import OutboxEmail, OutboxStatus
from app.models.programme import ChoiceStatus, ProgrammeSession, SessionChoice, SessionKind
from app.models.questions import Answer, Question, QuestionKind, Upload
from app.models.registration import (
    Gender,
    OrganisationType,
    ParticipantRole,
    Registration,
    RegistrationStatus,
    Title,
)
from app.models.registration_counts import RegistrationCountChange
from app.models.series import Series, YearParity
from app.models.team import TeamMember, TeamRole
from app.models.user import User

__all__ = [
    "ActorKind",
    "Answer",
    "Application",
    "ApplicationStatus",
    "AuditEntry",
    "Base",
    "Certificate",
    "CheckIn",
    "ChoiceStatus",
    "CorrectionRequest",
    "DocumentImage",
    "DocumentImageKind",
    "DocumentSettings",
    "EmailText",
    "Event",
    "EventKind",
    "EventStatus",
    "Gender",
    "Message",
    "MessageStatus",
    "NameOrder",
    "OrganisationType",
    "OrganiserAlerts",
    "OutboxEmail",
    "OutboxStatus",
    "ParticipantRole",
    "ProgrammeSession",
    "Question",
    "QuestionKind",
    "Registration",
    "RegistrationCountChange",
    "ReminderAnchor",
    "RegistrationMode",
    "RegistrationStatus",
    "ReplacedDocument",
    "ReplacedDocumentKind",
    "Review",
    "Series",
    "TeamMember",
    "TeamRole",
    "SessionChoice",
    "SessionKind",
    "Title",
    "TravelDecision",
    "TravelSupportRequest",
    "Upload",
    "User",
    "VisaRequest",
    "VisaRequestStatus",
    "YearParity",
    "utcnow",
]
