"""How far each reviewer has got: scored n of the N applications still in the running.

Who the reviewers are is answered in one place, reviewers(): the reviewers and managers on the event's team
and its series', and anyone else who has scored one of its applications.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.database import Session
from app.models import Application, ApplicationStatus, Event, Registration, Review, TeamMember, TeamRole, User


@dataclass(frozen=True)
class ReviewerProgress:
    reviewer: User
    scored: int
    of: int

    @property
    def finished(self) -> bool:
        return self.scored >= self.of

    @property
    def left(self) -> int:
        return max(self.of - self.scored, 0)


def _reviewable(event_id: int) -> sa.Select:
    """The applications a reviewer is expected to score: every one not withdrawn."""
    return (
        sa.select(Application.id)
        .join(Registration, Registration.id == Application.registration_id)
        .where(Registration.event_id == event_id, Application.status != ApplicationStatus.WITHDRAWN)
    )


def reviewers(session: Session, event: Event) -> list[User]:
    """Who is expected to review this event's applications: its team's reviewers and managers (the event's own
    team and its series'), and anyone else who has scored one (an administrator, someone since taken off the team)."""
    scorers = sa.select(Review.reviewer_id).where(Review.application_id.in_(_reviewable(event.id)),
                                                  Review.score.is_not(None))
    place = TeamMember.event_id == event.id
    if event.series_id is not None:
        place = sa.or_(place, TeamMember.series_id == event.series_id)
    # A deactivated account will never finish: not waited for (what it scored still counts, through `scorers`).
    team = (sa.select(TeamMember.user_id).join(User, User.id == TeamMember.user_id)
            .where(place, TeamMember.role.in_([TeamRole.REVIEWER, TeamRole.MANAGER]), User.active))
    return list(session.scalars(
        sa.select(User).where(sa.or_(User.id.in_(scorers), User.id.in_(team)))
        .order_by(sa.func.lower(sa.func.coalesce(sa.func.nullif(User.name, ""), User.email)), User.id)
    ))


def progress(session: Session, event: Event) -> list[ReviewerProgress]:
    """Each reviewer's count of scored applications; those with most left first. Three queries, whatever the numbers."""
    people = reviewers(session, event)
    reviewable = _reviewable(event.id)
    of = session.scalar(sa.select(sa.func.count()).select_from(reviewable.subquery())) or 0
    scored = dict(session.execute(
        sa.select(Review.reviewer_id, sa.func.count())
        .where(Review.application_id.in_(reviewable), Review.score.is_not(None),
               Review.reviewer_id.in_([person.id for person in people]))
        .group_by(Review.reviewer_id)
    ).tuples().all())
    rows = [ReviewerProgress(person, scored.get(person.id, 0), of) for person in people]
    rows.sort(key=lambda row: -row.left)  # stable: by name within the same number left
    return rows
