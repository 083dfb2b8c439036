"""An event's or a series' team: adding people by email with a role, changing roles, removing people.

Whoever is added hears it by email (through the outbox); an address without an account gets an
invitation to one (app/services/people/invitations.py). An event always keeps a manager, unless an
administrator (who may do everything anyway) takes the last one off.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.database import Session
from app.models import Event, Series, TeamMember, TeamRole, User
from app.services.errors import DomainError
from app.services.mail import mailer
from app.services.people.invitations import invite_organiser
from app.services.urls import external_url

Place = Event | Series


def team_of(session: Session, place: Place) -> list[TeamMember]:
    """The place's own members, by name; for an edition, its series' members are in inherited_team."""
    column = TeamMember.event_id if isinstance(place, Event) else TeamMember.series_id
    return list(session.scalars(
        sa.select(TeamMember).join(TeamMember.user).where(column == place.id).order_by(User.name, User.email)
    ))


def inherited_team(session: Session, event: Event) -> list[TeamMember]:
    """The members of the event's series, who work on this edition too."""
    if event.series_id is None:
        return []
    return team_of(session, session.get_one(Series, event.series_id))


def add_member(session: Session, place: Place, *, email: str, role: TeamRole, actor: User,
               now: datetime) -> TeamMember:
    """Put someone on the team. An address without an account is invited to make one."""
    email = email.strip().lower()
    user = session.scalar(sa.select(User).where(User.email == email))
    invited = user is None
    if user is None:
        user = invite_organiser(session, email=email, invited_by=actor, now=now)
    elif not user.active:  # they cannot sign in: the email would promise a dashboard they cannot open
        raise DomainError(_("The account of %(email)s is deactivated. An administrator can reactivate it on the "
                            "Accounts page; then add them here.", email=email), field="email")
    existing = _member(session, place, user)
    if existing is not None:
        raise DomainError(_("%(email)s is on the team already, as %(role)s. Change their role in the list instead.",
                            email=email, role=existing.role.label.lower()), field="email")
    member = TeamMember(user=user, role=role, added_at=now)
    if isinstance(place, Event):
        member.event = place
    else:
        member.series = place
    session.add(member)
    session.flush()
    _tell_added(session, member, place, actor=actor, invited=invited)
    return member


def change_role(session: Session, place: Place, member_id: int, role: TeamRole, *, actor: User) -> TeamMember:
    member = member_of_place_or_none(session, place, member_id)
    if member is None:
        raise DomainError(_("This person is not on the team (any more)."))
    if member.role is TeamRole.MANAGER and role is not TeamRole.MANAGER:
        _keep_a_manager(session, place, member, actor=actor, removing=False)
    member.role = role
    session.flush()
    return member


def remove_member(session: Session, place: Place, member_id: int, *, actor: User) -> User:
    """Take someone off the team; returns who it was."""
    member = member_of_place_or_none(session, place, member_id)
    if member is None:
        raise DomainError(_("This person is not on the team (any more)."))
    if member.role is TeamRole.MANAGER:
        _keep_a_manager(session, place, member, actor=actor, removing=True)
    user = member.user
    session.delete(member)
    session.flush()
    return user


def member_of_place_or_none(session: Session, place: Place, member_id: int) -> TeamMember | None:
    member = session.get(TeamMember, member_id)
    if member is None:
        return None
    owner_id = member.event_id if isinstance(place, Event) else member.series_id
    return member if owner_id == place.id else None


def _member(session: Session, place: Place, user: User) -> TeamMember | None:
    column = TeamMember.event_id if isinstance(place, Event) else TeamMember.series_id
    return session.scalar(sa.select(TeamMember).where(column == place.id, TeamMember.user_id == user.id))


def _keep_a_manager(session: Session, place: Place, leaving: TeamMember, *, actor: User, removing: bool) -> None:
    """Someone must still be able to run the event: its last manager stays, unless an administrator says so."""
    if actor.is_admin:
        return
    if isinstance(place, Event):
        event = session.scalar(sa.select(Event).where(Event.id == place.id).options(
            selectinload(Event.team), selectinload(Event.series).selectinload(Series.team)))
        others = [user for user in (event.managers if event else ()) if user.id != leaving.user_id]
    else:
        others = [m.user for m in team_of(session, place)
                  if m.role is TeamRole.MANAGER and m.user_id != leaving.user_id]
    others = [user for user in others if user.active]  # a deactivated manager cannot sign in to run it
    if not others:
        if removing:
            raise DomainError(_("%(email)s is the last manager: add another manager before you remove them.",
                                email=leaving.user.email))
        raise DomainError(_("%(email)s is the last manager: add another manager before you make them something else.",
                            email=leaving.user.email))


def _tell_added(session: Session, member: TeamMember, place: Place, *, actor: User, invited: bool) -> None:
    is_event = isinstance(place, Event)
    title = place.title if isinstance(place, Event) else place.name
    url = external_url("organiser.dashboard")  # signing in first, when needed, leads there
    mailer.enqueue(
        session, kind="team_added", to=member.user.email,
        subject=_("You are on the team of %(title)s", title=title),
        context={"member": member, "title": title, "is_event": is_event, "actor": actor,
                 "invited": invited, "url": url},
    )
