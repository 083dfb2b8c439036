"""Recording: a session listener writes one audit row per inserted, changed or deleted object, in the flush
that writes the change (so in its transaction: rolled back with it, committed with it), and `record()` for
named actions that change no row (passport data viewed, an export downloaded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import InstanceState, Mapper, ORMExecuteState, Session, UOWTransaction

from app.database import IMMEDIATE
from app.database import Session as AnySession
from app.models import Answer, Event, Registration, Review, SessionChoice, TeamMember, User, utcnow
from app.models.audit import AuditEntry
from app.models.names import written_name
from app.services.audit.actors import Actor, current_actor
from app.services.audit.policy import is_audited, shown, treatment

Scope = tuple[int | None, int | None]  # (event id, registration id)

_TABLE = cast(sa.Table, AuditEntry.__table__)  # declared as a FromClause; a mapped class's table is a Table
_REGISTRATIONS = cast(sa.Table, Registration.__table__)


def install() -> None:
    """Listen on every Session (Flask-SQLAlchemy's, the CLI's, the tests'). Idempotent."""
    if not sa_event.contains(Session, "after_flush", _after_flush):
        sa_event.listen(Session, "after_flush", _after_flush)
        sa_event.listen(Session, "do_orm_execute", _on_orm_execute)
        sa_event.listen(Session, "after_commit", _forget_quiet)
        sa_event.listen(Session, "after_rollback", _forget_quiet)


def record(session: AnySession, action: str, *, event_id: int | None = None, registration_id: int | None = None,
           object_type: str = "", object_id: int | str | None = None, object_label: str = "",
           details: dict[str, Any] | None = None, actor: Actor | None = None) -> AuditEntry:
    """A named action ("passport data viewed", "export downloaded") in the caller's transaction."""
    who = actor or current_actor()
    entry = AuditEntry(
        at=utcnow(), actor_kind=who.kind, actor_user_id=who.user_id, actor_label=who.label,
        event_id=event_id, registration_id=registration_id, object_type=object_type,
        object_id=None if object_id is None else str(object_id), object_label=object_label[:300], action=action,
        changes=details or {},
    )
    session.add(entry)
    return entry


def record_apart(engine: sa.Engine, action: str, *, event_id: int | None = None,
                 registration_id: int | None = None, object_type: str = "", object_id: int | str | None = None,
                 object_label: str = "", details: dict[str, Any] | None = None, actor: Actor | None = None) -> None:
    """A named action committed at once on a connection of its own, for a page or download that only reads:
    the request's reading transaction is left alone (a streamed export is still reading from it), and on
    SQLite the write lock is asked for up front (app/database.py)."""
    who = actor or current_actor()
    values = {
        "at": utcnow(), "actor_kind": who.kind, "actor_user_id": who.user_id, "actor_label": who.label,
        "event_id": event_id, "registration_id": registration_id, "object_type": object_type,
        "object_id": None if object_id is None else str(object_id), "object_label": object_label[:300],
        "action": action, "changes": details or {},
    }
    with engine.execution_options(**{IMMEDIATE: True}).begin() as connection:
        connection.execute(sa.insert(_TABLE).values(**values))


# --- the listener ------------------------------------------------------------------------------------------

_QUIET = "audit_quiet"


def quiet(session: AnySession) -> None:
    """Record no values for the rest of this transaction: what it changes is a person's data being deleted,
    and copying it into the log would keep it. The caller records the deletion itself (ids only)."""
    cast(Session, session).info[_QUIET] = True


def _forget_quiet(session: Session, *_args: Any) -> None:
    session.info.pop(_QUIET, None)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(_QUIET):
        return
    # In after_flush the new / dirty / deleted sets and each attribute's history still describe this flush,
    # and new rows have their ids.
    new = [obj for obj in session.new if is_audited(type(obj))]
    dirty = [obj for obj in session.dirty if is_audited(type(obj))]
    deleted = [obj for obj in session.deleted if is_audited(type(obj))]
    if not (new or dirty or deleted):
        return
    actor = current_actor()
    rows = []
    if actor.logs_new_rows:
        rows += [_row(obj, "created", _values(obj, after=True)) for obj in new]
    for obj in dirty:
        changes = _changes(obj)
        if changes:
            rows.append(_row(obj, "changed", changes))
    rows += [_row(obj, "deleted", _values(obj, after=False)) for obj in deleted]
    if rows:
        _write(session, actor, rows)


def _write(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> None:
    now = utcnow()
    for row in rows:
        row.update(at=now, actor_kind=actor.kind, actor_user_id=actor.user_id, actor_label=actor.label)
    # One statement for the whole flush. An object that knows only its registration gets that registration's
    # event from the database, in the same statement.
    statement = sa.insert(_TABLE).values(
        event_id=sa.func.coalesce(
            sa.bindparam("known_event_id", type_=sa.Integer),
            sa.select(_REGISTRATIONS.c.event_id)
            .where(_REGISTRATIONS.c.id == sa.bindparam("scope_registration_id", type_=sa.Integer))
            .scalar_subquery(),
        ),
    )
    session.connection().execute(statement, rows)


def table_name(mapper: Mapper) -> str:
    return cast(sa.Table, mapper.local_table).name


def _on_orm_execute(state: ORMExecuteState) -> Result | None:
    """INSERT / UPDATE / DELETE statements run through the session (a race-safe check-in's
    INSERT ... ON CONFLICT, a bulk purge) never pass through the flush: logged here, one entry per statement,
    with the values it sets. Which rows an UPDATE or DELETE reached is not known, only how many."""
    if not (state.is_insert or state.is_update or state.is_delete) or state.session.info.get(_QUIET):
        return None
    mapper = state.bind_mapper
    if mapper is None or not is_audited(mapper.class_):
        return None
    actor = current_actor()
    if state.is_insert and not actor.logs_new_rows:
        return None
    if isinstance(state.parameters, list):
        # One statement for a list of rows (an ORM bulk INSERT / UPDATE): logged with how many rows it was
        # given, not their values, and left to run as usual (the ORM's bulk path cannot be invoked from here).
        _write(state.session, actor, [{
            "known_event_id": None, "registration_id": None, "scope_registration_id": None,
            "object_type": table_name(mapper), "object_id": None, "object_label": "",
            "action": "created" if state.is_insert else "changed" if state.is_update else "deleted",
            "changes": {"rows": len(state.parameters)},
        }])
        return None
    params = cast(sa.ClauseElement, state.statement).compile(dialect=state.session.get_bind().dialect).params
    result = state.invoke_statement()
    if not isinstance(result, CursorResult) or result.returns_rows:
        frozen = result.freeze()
        returned = frozen().all()
        count, outcome = len(returned), frozen()
        object_id = returned[0][0] if len(returned) == 1 and state.is_insert else None
    else:
        count, outcome, object_id = result.rowcount, result, None
    if count == 0:  # ON CONFLICT DO NOTHING, or no row matched: nothing changed
        return outcome
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        column = cast(sa.Column, attr.columns[0])
        how = treatment(column)
        if column.key in params and how != "skip" and attr.key not in _SCOPE_COLUMNS:
            value = shown(params[column.key], how)
            values[attr.key] = [None, value] if state.is_insert else ["", value]
    if not state.is_insert:
        values["rows"] = count
    registration_id = _param(params, "registration_id")
    _write(state.session, actor, [{
        "known_event_id": _param(params, "event_id"), "registration_id": registration_id,
        "scope_registration_id": registration_id, "object_type": table_name(mapper),
        "object_id": None if object_id is None else str(object_id), "object_label": "",
        "action": "created" if state.is_insert else "changed" if state.is_update else "deleted",
        "changes": values if (state.is_insert and values) or state.is_update else {"rows": count},
    }])
    return outcome


def _param(params: dict[str, Any], name: str) -> int | None:
    # The value set, or the one a WHERE compares with (`registration_id = :registration_id_1`).
    value = params.get(name, params.get(f"{name}_1"))
    return value if isinstance(value, int) else None


def _row(obj: Any, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    state: InstanceState = sa.inspect(obj)
    event_id, registration_id = _scope(obj, state)
    identity = state.identity or ()
    return {
        "known_event_id": event_id,
        "registration_id": registration_id,
        "scope_registration_id": registration_id,
        "object_type": table_name(state.mapper),
        "object_id": ":".join(str(shown(part)) for part in identity)[:60] or None,
        "object_label": _label(obj, state)[:300],
        "action": action,
        "changes": changes,
    }


# Said by the entry's own event and registration (and its time), not repeated among a new row's values.
_SCOPE_COLUMNS = frozenset({"event_id", "registration_id", "created_at"})


def _values(obj: Any, *, after: bool) -> dict[str, Any]:
    """A created object's values (as [None, value]) or a deleted one's (as [value, None]); only what is loaded,
    so that a deleted row is never read again."""
    state = sa.inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        how = treatment(column)
        if how == "skip" or column.primary_key or attr.key in _SCOPE_COLUMNS or attr.key not in state.dict:
            continue
        value = shown(state.dict[attr.key], how)
        if value is None or value == "" or value == []:
            continue
        values[attr.key] = [None, value] if after else [value, None]
    return values


def _changes(obj: Any) -> dict[str, Any]:
    state = sa.inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        how = treatment(attr.columns[0])
        if how == "skip":
            continue
        history = state.attrs[attr.key].history
        if not history.added and not history.deleted:
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        if how == "secret":
            changes[attr.key] = [shown(before, how), "(changed)"]
        else:
            changes[attr.key] = [shown(before, how), shown(after, how)]
    # Many-to-many collections (an event's managers): who was added and who removed.
    for relationship in state.mapper.relationships:
        if relationship.secondary is None:
            continue
        history = state.attrs[relationship.key].history
        if history.added or history.deleted:
            changes[relationship.key] = {"added": [_label(o, sa.inspect(o)) for o in history.added],
                                         "removed": [_label(o, sa.inspect(o)) for o in history.deleted]}
    return changes


# --- where an object belongs -------------------------------------------------------------------------------

def _registration_scope(obj: Registration, state: InstanceState) -> Scope:
    return state.dict.get("event_id"), state.dict.get("id")


def _review_scope(obj: Review, state: InstanceState) -> Scope:
    application = state.dict.get("application")
    return None, application.registration_id if application is not None else None


# Models whose event and registration are not simply their own event_id / registration_id columns.
SCOPES: dict[type, Callable[[Any, InstanceState], Scope]] = {
    Event: lambda obj, state: (state.dict.get("id"), None),
    Registration: _registration_scope,
    Review: _review_scope,
    User: lambda obj, state: (None, None),
}


def _scope(obj: Any, state: InstanceState) -> Scope:
    special = SCOPES.get(type(obj))
    if special is not None:
        return special(obj, state)
    registration_id = state.dict.get("registration_id")
    registration = state.dict.get("registration")
    if registration_id is None and registration is not None:
        registration_id = sa.inspect(registration).dict.get("id")
    return state.dict.get("event_id"), registration_id


# --- what an object is called ------------------------------------------------------------------------------

def _label(obj: Any, state: InstanceState) -> str:
    values = state.dict
    if isinstance(obj, Registration):
        name = written_name(values.get("given_name") or "", values.get("family_name") or "", values.get("name_order"),
                            single=bool(values.get("single_name")))
        return f"{values.get('reference', '')} {name}".strip()
    if isinstance(obj, Answer):
        return values.get("question_label", "")
    if isinstance(obj, TeamMember):  # whose role it is: its user_id alone would read "User id: 3" in the log
        user = values.get("user")
        return _person(sa.inspect(user).dict) if user is not None else ""
    if isinstance(obj, SessionChoice):
        session = values.get("session")
        return sa.inspect(session).dict.get("title", "") if session is not None else ""
    for key in ("own_title", "title", "subject", "label", "email", "name", "reference", "kind"):
        value = values.get(key)
        if value:
            return str(shown(value))
    return ""


def _person(values: dict[str, Any]) -> str:
    """A user as the log names people (like an organiser acting): "Name <email>", or the address alone."""
    email, name = values.get("email", ""), values.get("name", "")
    return f"{name} <{email}>" if name else email
