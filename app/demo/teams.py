"""Demo teams: a colleague in each role, so every team page and each role's view has someone to show.

They sign in with the demo organiser's password (README, "Demo data")."""

from __future__ import annotations

import sqlalchemy as sa

from app.database import Session
from app.models import Event, Series, TeamMember, TeamRole
from app.services.people.users import create_user

# (email, name, role, on the application workshop (True) or the forum series (False))
COLLEAGUES = [
    ("reviewer@wtanet.org", "Rita Reviewer", TeamRole.REVIEWER, True),
    ("checkin@wtanet.org", "Chul Check-in", TeamRole.CHECK_IN, True),
    ("viewer@wtanet.org", "Vera Viewer", TeamRole.VIEWER, True),
    ("forum.manager@wtanet.org", "Minho Forum", TeamRole.MANAGER, False),
]


def add_teams(session: Session, events: list[Event], *, password: str) -> None:
    workshop = next(event for event in events if event.takes_applications)
    forum_series = session.scalar(sa.select(Series).where(Series.code == "DGIF"))
    for email, name, role, on_workshop in COLLEAGUES:
        user = create_user(session, email, password, name=name)
        if on_workshop:
            session.add(TeamMember(event_id=workshop.id, user_id=user.id, role=role))
        elif forum_series is not None:
            session.add(TeamMember(series_id=forum_series.id, user_id=user.id, role=role))
    session.flush()
