"""Documents issued under a name that was corrected afterwards: they are issued again, under the new name.

A certificate and an approved visa letter are PDFs made from the registration whenever they are downloaded
(badges too, printed on demand), so a download after the correction already carries the new name. What
the correction cannot reach is a copy already sent or printed. So each such document gets a new
verification code and is emailed again, and its old code goes to ReplacedDocument with the name that copy
carries: checking it says "replaced by a newer document", never "genuine" under a name the copy does not
show (see docs/features/correcting-data.md).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.database import Session
from app.models import (
    Certificate,
    Registration,
    ReplacedDocument,
    ReplacedDocumentKind,
    VisaRequest,
    VisaRequestStatus,
)
from app.services.documents.certificates import email_certificate
from app.services.documents.verification import new_code
from app.services.mail import notifications


def reissue_after_name_change(session: Session, registration: Registration, old_name: str, *,
                              now: datetime) -> list[ReplacedDocumentKind]:
    """Issue again, with new codes, the documents the registration holds under `old_name`; returns their kinds."""
    reissued = []
    certificate = session.scalar(sa.select(Certificate).where(Certificate.registration_id == registration.id))
    if certificate is not None:
        _retire(session, registration, ReplacedDocumentKind.CERTIFICATE, certificate.verification_code, old_name, now)
        certificate.verification_code = new_code()
        session.flush()
        email_certificate(session, certificate)
        reissued.append(ReplacedDocumentKind.CERTIFICATE)
    letter = session.scalar(sa.select(VisaRequest).where(
        VisaRequest.registration_id == registration.id, VisaRequest.status == VisaRequestStatus.APPROVED))
    # A letter whose passport data was deleted after the event cannot be printed again: it keeps its code.
    if letter is not None and letter.verification_code and letter.purged_at is None:
        _retire(session, registration, ReplacedDocumentKind.VISA_LETTER, letter.verification_code, old_name, now)
        letter.verification_code = new_code()
        session.flush()
        notifications.queue(session, registration, "visa_letter_ready")
        reissued.append(ReplacedDocumentKind.VISA_LETTER)
    return reissued


def _retire(session: Session, registration: Registration, kind: ReplacedDocumentKind, code: str, name: str,
            now: datetime) -> None:
    session.add(ReplacedDocument(registration_id=registration.id, kind=kind, verification_code=code,
                                 name_printed=name, replaced_at=now))


def holds_issued_documents(session: Session, registration_id: int) -> bool:
    """A certificate or an approved visa letter carries the person's name: their name is then no longer theirs
    to change from the personal link (the organisers correct it, and the documents are issued again)."""
    return session.scalar(sa.select(sa.or_(
        sa.exists().where(Certificate.registration_id == registration_id),
        sa.exists().where(VisaRequest.registration_id == registration_id,
                          VisaRequest.status == VisaRequestStatus.APPROVED),
    ))) or False
