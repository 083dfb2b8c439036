"""Reviewers' scores (1-5) and notes on applications: one review per reviewer, changed in place."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Application, Review, User
from app.services.applications.applications import mark_under_review
from app.services.errors import DomainError
from app.services.registration.locking import lock_event

SCORES = (1, 2, 3, 4, 5)
NOTES_MAX = 5000


def save_review(
    session: Session, application_id: int, *, reviewer: User, score: int | None, notes: str, now: datetime
) -> Review:
    """Record this reviewer's score and notes; the first review moves the application to 'under review'."""
    application = session.get(Application, application_id)
    if application is None:
        raise LookupError(f"application {application_id} does not exist")
    # Under the event lock: a double click must update the one review, not meet the unique constraint.
    lock_event(session, application.registration.event_id)
    if score is not None and score not in SCORES:
        raise DomainError(_("Choose a score from 1 (weak) to 5 (excellent)."), field="score")
    notes = notes.strip()
    if len(notes) > NOTES_MAX:
        raise DomainError(_("Notes can be at most %(max)s characters long.", max=NOTES_MAX), field="notes")
    if score is None and not notes:
        raise DomainError(_("Give a score or write a note."), field="score")
    review = session.scalar(
        sa.select(Review).where(Review.application_id == application.id, Review.reviewer_id == reviewer.id)
    )
    if review is None:
        review = Review(application=application, reviewer_id=reviewer.id, created_at=now)
        session.add(review)
    review.score = score
    review.notes = notes
    review.updated_at = now
    mark_under_review(session, application)
    session.flush()
    return review


def reviews_of(session: Session, application_id: int) -> list[Review]:
    return list(session.scalars(
        sa.select(Review).where(Review.application_id == application_id).order_by(Review.updated_at, Review.id)
    ))

