"""Demo data for privacy: what each registration consented to, and a request to delete someone's data."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.database import Session
from app.models import Event, Registration, RegistrationStatus

DEMO_CONSENT_VERSION = "2026-12"
DEMO_NOTICE = "https://www.wtanet.org/privacy"


def add_privacy(session: Session, forum: Event, registrations: list[Registration], *, now: datetime) -> None:
    for registration in registrations:
        registration.consent_version, registration.privacy_notice_url = DEMO_CONSENT_VERSION, DEMO_NOTICE
    # Someone who cancelled their forum place and then asked for their data to be deleted: the organisers'
    # Privacy page has a request to show.
    cancelled = [r for r in registrations if r.event is forum and r.status is RegistrationStatus.CANCELLED]
    if cancelled:
        cancelled[-1].deletion_requested_at = now - timedelta(days=1)
    session.flush()
