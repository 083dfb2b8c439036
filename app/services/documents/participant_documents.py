"""What the personal page shows of a registration's documents: its visa request and its certificate."""

from __future__ import annotations

from dataclasses import dataclass

from app.database import Session
from app.models import Certificate, VisaRequest
from app.services.documents import certificates, visa_letters


@dataclass(frozen=True)
class ParticipantDocuments:
    visa_request: VisaRequest | None
    certificate: Certificate | None


def documents_of(session: Session, registration_id: int) -> ParticipantDocuments:
    return ParticipantDocuments(
        visa_letters.request_of(session, registration_id),
        certificates.certificate_of(session, registration_id),
    )
