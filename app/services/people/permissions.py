"""Who may do what on which event: roles on an event's or a series' team, and what each role may do.

Administrators may do everything everywhere. Anyone else has the capabilities of their roles on the event
and on its series (a series role reaches every edition). No role at all: the event does not exist for them.
The role table is also in docs/features/teams-and-roles.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from app.database import Session
from app.models import Event, Series, TeamMember, TeamRole, User


class Capability(enum.StrEnum):
    MANAGE = "manage"  # settings, the team, registrations, documents, emails: everything else
    VIEW_LISTS = "view_lists"  # attendee and session lists, a registration's page, the applications (read only)
    REVIEW = "review"  # applications, their answers and uploads; scoring and commenting
    DECIDE = "decide"  # accepting, refusing, travel support, the selection
    CHECK_IN = "check_in"  # the check-in page: checking people in and undoing it
    SEE_ATTENDANCE = "see_attendance"  # the attendance counts
    SEE_PASSPORTS = "see_passports"  # visa request fields: passport numbers, dates of birth...
    EXPORT = "export"  # CSV / Excel / PDF downloads of lists


ROLE_CAPABILITIES: dict[TeamRole, frozenset[Capability]] = {
    TeamRole.MANAGER: frozenset(Capability),
    TeamRole.REVIEWER: frozenset({Capability.REVIEW}),
    TeamRole.CHECK_IN: frozenset({Capability.CHECK_IN, Capability.SEE_ATTENDANCE}),
    TeamRole.VIEWER: frozenset({Capability.VIEW_LISTS, Capability.SEE_ATTENDANCE}),
}

NOTHING: frozenset[Capability] = frozenset()


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.active)


def roles_on(session: Session, user: User, event: Event) -> set[TeamRole]:
    """The user's roles on the event: its own team and its series' team."""
    place = TeamMember.event_id == event.id
    if event.series_id is not None:
        place = sa.or_(place, TeamMember.series_id == event.series_id)
    return set(session.scalars(sa.select(TeamMember.role).where(TeamMember.user_id == user.id, place)))


def capabilities(session: Session, user: User, event: Event) -> frozenset[Capability]:
    if not _signed_in(user):
        return NOTHING
    if user.is_admin:
        return frozenset(Capability)
    return capabilities_of_roles(roles_on(session, user, event))


def can(session: Session, user: User, event: Event, capability: Capability) -> bool:
    return capability in capabilities(session, user, event)


def can_manage(user: User, event: Event) -> bool:
    """Full manager of the event (kept with its old signature: the event's own session is asked)."""
    session = object_session(event)
    assert session is not None, "an event loaded from the database"
    return can(session, user, event, Capability.MANAGE)


def series_role(session: Session, user: User, series: Series) -> TeamRole | None:
    return session.scalar(sa.select(TeamMember.role).where(TeamMember.series_id == series.id,
                                                           TeamMember.user_id == user.id))


def can_manage_series(session: Session, user: User, series: Series) -> bool:
    if not _signed_in(user):
        return False
    return user.is_admin or series_role(session, user, series) is TeamRole.MANAGER


def _member_of(user: User, roles: Iterable[TeamRole] | None = None) -> sa.ColumnElement[bool]:
    """Events the user is on the team of, directly or through their series."""
    condition = TeamMember.user_id == user.id
    if roles is not None:
        condition = sa.and_(condition, TeamMember.role.in_(list(roles)))
    own = sa.select(TeamMember.id).where(condition, TeamMember.event_id == Event.id)
    inherited = sa.select(TeamMember.id).where(condition, TeamMember.series_id == Event.series_id)
    return sa.or_(own.exists(), inherited.exists())


def visible_events_query(user: User) -> sa.Select:
    """Every event the user has any role on (administrators: every event)."""
    query = sa.select(Event)
    if not user.is_admin:
        query = query.where(_member_of(user))
    return query


def manageable_events_query(user: User) -> sa.Select:
    """The events the user may manage."""
    query = sa.select(Event)
    if not user.is_admin:
        query = query.where(_member_of(user, [TeamRole.MANAGER]))
    return query


def event_roles(session: Session, user: User, events: Iterable[Event]) -> dict[int, set[TeamRole]]:
    """Each event's roles of the user, in one query (the dashboard says what the user is on each)."""
    events = list(events)
    series_ids = {e.series_id for e in events if e.series_id is not None}
    rows = session.execute(sa.select(TeamMember.event_id, TeamMember.series_id, TeamMember.role).where(
        TeamMember.user_id == user.id,
        sa.or_(TeamMember.event_id.in_([e.id for e in events]), TeamMember.series_id.in_(series_ids)),
    )).all()
    roles: dict[int, set[TeamRole]] = {e.id: set() for e in events}
    for event in events:
        for event_id, series_id, role in rows:
            if event_id == event.id or (series_id is not None and series_id == event.series_id):
                roles[event.id].add(role)
    return roles


def capabilities_of_roles(roles: Iterable[TeamRole]) -> frozenset[Capability]:
    return frozenset().union(*(ROLE_CAPABILITIES[role] for role in roles))


def can_create_events(session: Session, user: User) -> bool:
    """Administrators and people who manage an event or series: not someone invited only to review or check in."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    return session.scalar(sa.select(TeamMember.id).where(TeamMember.user_id == user.id,
                                                         TeamMember.role == TeamRole.MANAGER).limit(1)) is not None
