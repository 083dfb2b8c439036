"""“Lost your link?”: the personal links of an address's registrations, emailed to that address only.

The page that asks says the same whether or not the address is registered; only the inbox learns more.
Each registration's link goes at most once per LINK_RESEND_INTERVAL, however often it is asked for
(the form is also rate-limited per client, LOST_LINK_RATE_LIMIT), so nobody can flood an inbox with it.
Registration being closed makes no difference: the link is how people see and change what they have.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.database import Session
from app.models import OutboxEmail, Registration
from app.services.mail import notifications
from app.services.mail.email_kinds import LINK_KINDS
from app.services.registration.registration import LINK_RESEND_INTERVAL


def email_lost_links(session: Session, email: str, *, now: datetime, event_id: int | None = None) -> int:
    """Queue one "your registration link" email per registration of `email` (of `event_id` only, if given)
    whose link was not emailed in the last LINK_RESEND_INTERVAL; returns how many were queued."""
    recently_sent = (
        sa.select(sa.literal(True))
        .where(OutboxEmail.registration_id == Registration.id, OutboxEmail.kind.in_(LINK_KINDS),
               OutboxEmail.created_at >= now - LINK_RESEND_INTERVAL)
        .exists()
    )
    statement = (sa.select(Registration)
                 .where(Registration.email == email.strip().lower(), ~recently_sent)
                 .order_by(Registration.id))
    if event_id is not None:
        statement = statement.where(Registration.event_id == event_id)
    registrations = list(session.scalars(statement))
    for registration in registrations:
        notifications.queue(session, registration, "link_requested")
    return len(registrations)
