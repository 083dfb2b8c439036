"""Passport data goes as soon as nobody needs it: when the registration ends (cancelled, withdrawn,
declined), not only after the event. The request row stays, so a letter already issued is still
verifiable by its code."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from app.database import Session
from app.models import VisaRequest


def forget_passport_data(session: Session, registration_ids: Collection[int], *, now: datetime) -> None:
    """Wipe the passport data of these registrations' visa requests (one UPDATE; none if there is none)."""
    if not registration_ids:
        return
    session.execute(
        sa.update(VisaRequest)
        .where(VisaRequest.registration_id.in_(list(registration_ids)), VisaRequest.purged_at.is_(None))
        .values(passport_name=None, nationality=None, date_of_birth=None, passport_number=None,
                passport_expiry=None, purged_at=now, updated_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
