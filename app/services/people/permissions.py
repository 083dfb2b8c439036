"""Who may manage what. Admins manage every event; other organisers the events they are on."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import Event, User, event_managers


def can_manage(user: User, event: Event) -> bool:
    if not user.is_authenticated or not user.active:
        return False
    return user.is_admin or any(manager.id == user.id for manager in event.managers)


def manageable_events_query(user: User) -> sa.Select:
    query = sa.select(Event)
    if not user.is_admin:
        query = query.join(event_managers, event_managers.c.event_id == Event.id).where(
            event_managers.c.user_id == user.id
        )
    return query
