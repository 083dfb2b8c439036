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

from app.database import Session
from app.models import OutboxEmail, Registration

_REGISTRATIONS = cast(sa.Table, Registration.__table__)
_OUTBOX = cast(sa.Table, OutboxEmail.__table__)
# The email's columns after registration_id and to_address, which the registration's row gives.
_EMAIL_COLUMNS = ("kind", "reply_to", "subject", "body_text", "body_html", "attachments", "draft", "message_id",
                  "status", "attempts", "next_attempt_at", "created_at")


def insert_with_email(session: Session, registration: dict[str, Any], email: dict[str, Any]) -> Registration | None:
    """Insert the registration (its column values) and the email (_EMAIL_COLUMNS); None when it conflicts."""
    statement = _statement(tuple(registration))
    parameters = registration | {f"email_{name}": email[name] for name in _EMAIL_COLUMNS}
    return session.scalar(statement, parameters)


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
def _statement(columns: tuple[str, ...]) -> sa.Executable:
    quote = postgresql.dialect().identifier_preparer.quote
    returned = ", ".join(quote(column.name) for column in _REGISTRATIONS.c)
    sql = (
        f"WITH new_registration AS (INSERT INTO registrations ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(f':{name}' for name in columns)}) ON CONFLICT DO NOTHING RETURNING {returned}), "
        f"queued_email AS (INSERT INTO outbox_emails (registration_id, to_address, "
        f"{', '.join(map(quote, _EMAIL_COLUMNS))}) SELECT id, email, "
        f"{', '.join(f':email_{name}' for name in _EMAIL_COLUMNS)} FROM new_registration) "
        f"SELECT {returned} FROM new_registration"
    )
    binds = [sa.bindparam(name, type_=_REGISTRATIONS.c[name].type) for name in columns]
    binds += [sa.bindparam(f"email_{name}", type_=_OUTBOX.c[name].type) for name in _EMAIL_COLUMNS]
    return sa.select(Registration).from_statement(sa.text(sql).bindparams(*binds).columns(*_REGISTRATIONS.c))
