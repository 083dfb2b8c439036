"""Demo corrections: an open correction request and a done one at the open forum, and a certificate issued
again after its holder's name was corrected (its old code still checks, as "replaced").

Written straight to the tables, like the rest of the demo data: no email is queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.database import Session
from app.models import (
    Certificate,
    CorrectionRequest,
    Event,
    Registration,
    RegistrationStatus,
    ReplacedDocument,
    ReplacedDocumentKind,
    User,
)
from app.services.documents.verification import new_code


def add_corrections(session: Session, forum: Event, *, now: datetime, by: User) -> None:
    session.flush()
    asking = list(session.scalars(
        sa.select(Registration).where(Registration.event_id == forum.id,
                                      Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id).limit(2)))
    if len(asking) == 2:
        session.add(CorrectionRequest(
            registration=asking[0], created_at=now - timedelta(hours=5),
            message=f"My family name is spelt {asking[0].family_name.upper()} in my passport: please print it so "
                    "on my badge."))
        session.add(CorrectionRequest(
            registration=asking[1], created_at=now - timedelta(days=3), resolved_at=now - timedelta(days=2),
            resolved_by_id=by.id, message="Please add my middle name, as it is on my passport."))
    certificate = session.scalar(sa.select(Certificate).order_by(Certificate.id).limit(1))
    if certificate is not None:
        holder = certificate.registration
        misspelt = f"{holder.given_name} {holder.family_name[:-1] or holder.family_name}"
        session.add(ReplacedDocument(registration=holder, kind=ReplacedDocumentKind.CERTIFICATE,
                                     verification_code=new_code(), name_printed=misspelt,
                                     replaced_at=certificate.issued_at + timedelta(days=1)))
