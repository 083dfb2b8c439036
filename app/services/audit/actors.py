"""Who is acting: a signed-in organiser, a participant through their personal link, the public form, or the
system. Services never read the request: the web layer installs a resolver (app/web.py), and the CLI or a
test says who it is with `acting_as(...)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from app.models import User
from app.models.audit import ActorKind


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    user_id: int | None = None
    label: str = ""
    # False for the public registration form: a new registration's own created_at is the first line of its
    # history, and that POST must stay a handful of SQL statements (no audit rows for the rows it creates).
    logs_new_rows: bool = True


SYSTEM = Actor(ActorKind.SYSTEM, label="System")
PARTICIPANT = Actor(ActorKind.PARTICIPANT, label="Participant via personal link")
PUBLIC_FORM = Actor(ActorKind.PUBLIC, label="Public registration form", logs_new_rows=False)
NOT_SIGNED_IN = Actor(ActorKind.PUBLIC, label="Someone not signed in")


def organiser(user: User) -> Actor:
    label = f"{user.name} <{user.email}>" if user.name else user.email
    return Actor(ActorKind.USER, user_id=user.id, label=label[:300])


_explicit: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)
_request_actor: list[Callable[[], Actor | None]] = []


def use_request_actor(resolver: Callable[[], Actor | None]) -> None:
    """The web layer's way of naming the actor of the current request (None outside a request)."""
    _request_actor[:] = [resolver]


@contextmanager
def acting_as(actor: Actor | User) -> Iterator[Actor]:
    """Changes made inside are recorded as made by `actor` (an Actor, or an organiser's User)."""
    chosen = organiser(actor) if isinstance(actor, User) else actor
    token = _explicit.set(chosen)
    try:
        yield chosen
    finally:
        _explicit.reset(token)


def current_actor() -> Actor:
    explicit = _explicit.get()
    if explicit is not None:
        return explicit
    from_request = _request_actor[0]() if _request_actor else None
    return from_request or SYSTEM
