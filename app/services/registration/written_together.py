"""A new registration and its email (a draft, see mail/drafts.py) written by one statement, on PostgreSQL;
or the registration alone, on either database (insert_alone).

A data-modifying CTE: the INSERT of the email runs although the final SELECT reads only the registration.
`ON CONFLICT DO NOTHING`: when the email is registered for the event already (or the reference is taken),
no row comes back and neither row is written.

Written as SQL text, built once per set of columns: SQLAlchemy never caches the compiled form of a
PostgreSQL INSERT with ON CONFLICT (its dialect's Insert has no cache key), and compiling this one took
more CPU than the rest of the registration together.
"""

from __future__ import annotations

import functools
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import make_transient_to_detached

from app.database import Session
from app.models import OutboxEmail, Registration

_REGISTRATIONS = cast(sa.Table, Registration.__table__)
_OUTBOX = cast(sa.Table, OutboxEmail.__table__)
# The email's columns after registration_id and to_address, which the registration's row gives.
_EMAIL_COLUMNS = ("kind", "reply_to", "subject", "body_text", "body_html", "attachments", "draft", "message_id",
                  "status", "attempts", "next_attempt_at", "created_at")


def insert_with_email(session: Session, registration: dict[str, Any], email: dict[str, Any]) -> Registration | None:
    """Insert the registration (its column values) and the email (_EMAIL_COLUMNS); None when it conflicts.

    Only the new id comes back: every other value of the row is one given here (no column has a server
    default the INSERT leaves to run, and those not given are NULL), so the Registration is made from them
    as if it had been read, in the session, with nothing to flush. Reading the whole row back cost more
    CPU than the INSERT itself (each column described by the driver, then loaded by the ORM)."""
    statement = _statement(tuple(registration))
    parameters = registration | {f"email_{name}": email[name] for name in _EMAIL_COLUMNS}
    new_id = session.connection().execute(statement, parameters).scalar()  # SQL text: no ORM work needed
    if new_id is None:
        return None
    return _as_read(session, {**_UNGIVEN, **registration, "id": new_id})


def _as_read(session: Session, values: dict[str, Any]) -> Registration:
    """A persistent Registration holding `values` (every column) as its committed state."""
    made = Registration.__mapper__.class_manager.new_instance()
    made.__dict__.update(values)  # no attribute event: committed values, no history
    make_transient_to_detached(made)
    session.add(made)  # persistent and clean: its identity key is set
    return made


# Columns of a new registration that the form never gives: NULL on insert (_statement names only the columns
# it is given), so known without reading them back.
_UNGIVEN = {column.name: None for column in _REGISTRATIONS.c
            if column.nullable and column.server_default is None and column.default is None}


def insert_alone(session: Session, registration: dict[str, Any]) -> Registration | None:
    """Insert the registration (its column values) by itself; None when it conflicts. For a registration whose
    email must wait for the rest of its form (its session choices): PostgreSQL and SQLite alike."""
    return session.scalar(_alone(tuple(registration)), registration)


@functools.cache
def _alone(columns: tuple[str, ...]) -> sa.Executable:
    # PostgreSQL's quoting (reserved words only, in double quotes) reads the same to SQLite.
    quote = postgresql.dialect().identifier_preparer.quote
    sql = (f"INSERT INTO registrations ({', '.join(map(quote, columns))}) "
           f"VALUES ({', '.join(f':{name}' for name in columns)}) ON CONFLICT DO NOTHING "
           f"RETURNING {', '.join(quote(column.name) for column in _REGISTRATIONS.c)}")
    binds = [sa.bindparam(name, type_=_REGISTRATIONS.c[name].type) for name in columns]
    return sa.select(Registration).from_statement(sa.text(sql).bindparams(*binds).columns(*_REGISTRATIONS.c))


@functools.cache  # the same object each time: its cache key is then computed once too
def _statement(columns: tuple[str, ...]) -> sa.TextClause:
    quote = postgresql.dialect().identifier_preparer.quote
    sql = (
        f"WITH new_registration AS (INSERT INTO registrations ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(f':{name}' for name in columns)}) ON CONFLICT DO NOTHING RETURNING id, email), "
        f"queued_email AS (INSERT INTO outbox_emails (registration_id, to_address, "
        f"{', '.join(map(quote, _EMAIL_COLUMNS))}) SELECT id, email, "
        f"{', '.join(f':email_{name}' for name in _EMAIL_COLUMNS)} FROM new_registration) "
        f"SELECT id FROM new_registration"
    )
    binds = [sa.bindparam(name, type_=_REGISTRATIONS.c[name].type) for name in columns]
    binds += [sa.bindparam(f"email_{name}", type_=_OUTBOX.c[name].type) for name in _EMAIL_COLUMNS]
    return sa.text(sql).bindparams(*binds)
