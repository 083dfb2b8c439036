"""Engine set-up that makes concurrent writers safe on SQLite as well as PostgreSQL.

PostgreSQL serialises writers with row locks (`SELECT ... FOR UPDATE`). SQLite has one
database-wide write lock, and a transaction that first reads and later writes can fail
with "database is locked" instead of waiting. So on SQLite we issue BEGIN ourselves and,
for transactions that are going to write, BEGIN IMMEDIATE: the write lock is taken up
front and concurrent writers queue on busy_timeout instead of failing.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import scoped_session

# What services, the demo and the form parts take as `session`: a plain Session (tests, CLI, object_session())
# or Flask-SQLAlchemy's `db.session`, a scoped_session that proxies the same methods. They import this
# `Session` instead of SQLAlchemy's so that passing `db.session` type-checks without a cast at every call.
# scoped_session[Any]: it is invariant in its session class, and db.session's is Flask-SQLAlchemy's subclass.
Session: TypeAlias = OrmSession | scoped_session[Any]

IMMEDIATE = "sqlite_begin_immediate"
_TRANSACTION_FACTS = "transaction_facts"


def transaction_facts(session: Session) -> dict[Any, Any]:
    """What this transaction has learnt that its later statements need not ask again (which parts an event's
    form lacks, that it has no email texts of its own). Forgotten when the transaction ends, so that a later
    one sees what was edited meanwhile."""
    return session.info.setdefault(_TRANSACTION_FACTS, {})


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget_transaction_facts(session: OrmSession) -> None:
    session.info.pop(_TRANSACTION_FACTS, None)
SQLITE_BUSY_TIMEOUT_MS = 60_000


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Hand transaction control to us (pysqlite otherwise BEGINs lazily, deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # SQLite's lower() folds ASCII only; searches for "émile" must find "Émile" as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        conn.info[IMMEDIATE] = immediate


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer. Call before the first query.

    A no-op on PostgreSQL, where the services lock the rows they change.
    """
    session = _unscoped(session)
    if session.in_transaction():
        connection = session.connection()
        if connection.dialect.name == "sqlite" and not connection.info.get(IMMEDIATE):
            raise RuntimeError("begin_write() must come before the transaction's first query")
        return
    session.connection(execution_options={IMMEDIATE: True})


def read_without_transaction(session: Session) -> None:
    """For a page that only reads, on PostgreSQL: its statements run without a transaction around them. At READ
    COMMITTED each statement sees the database as of its own start either way, so the page shows the same; it
    saves the BEGIN and the ROLLBACK round trips. Call before the request's first query."""
    session = _unscoped(session)
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def assert_writer(session: Session) -> Connection:
    """Guard for services that rely on serialised writers (see module docstring). Returns the session's
    connection, for a statement that needs no ORM to run straight on it."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.info.get(IMMEDIATE):
        raise RuntimeError("on SQLite this service needs begin_write() at the start of the transaction")
    return connection


def _unscoped(session: Session) -> OrmSession:
    return session.registry() if isinstance(session, scoped_session) else session
