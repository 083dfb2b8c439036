"""The yardstick for bench/registration_rush.py: the least a registration can cost.

One bare Flask view: take the event's PostgreSQL advisory lock, then a conditional
INSERT (confirmed while fewer than CAPACITY are, else waitlisted) and a redirect, as
the issue describes ("about 1,900 requests/s, p95 31 ms on 2 cores"). No ORM, no
forms, no CSRF, no templates, no email. Served by gunicorn exactly like the real app.
"""

from __future__ import annotations

import os

import psycopg
from flask import Flask, redirect, request

SCHEMA = """
CREATE TABLE IF NOT EXISTS baseline_registrations (
    id bigserial PRIMARY KEY,
    event_id integer NOT NULL,
    email varchar(254) NOT NULL,
    status varchar(20) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, email)
);
CREATE INDEX IF NOT EXISTS ix_baseline_event_status ON baseline_registrations (event_id, status);
"""

REGISTER = """
INSERT INTO baseline_registrations (event_id, email, status)
SELECT %(event)s, %(email)s,
       CASE WHEN count(*) < %(capacity)s THEN 'confirmed' ELSE 'waitlisted' END
FROM baseline_registrations
WHERE event_id = %(event)s AND status = 'confirmed'
ON CONFLICT (event_id, email) DO NOTHING
RETURNING id
"""


def dsn_from_env() -> str:
    # The same DATABASE_URL the real app gets, minus SQLAlchemy's driver suffix.
    return os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)


def create_schema(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(SCHEMA)


app = Flask(__name__)
CAPACITY = int(os.environ.get("BASELINE_CAPACITY", "100"))
_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    # One connection per gunicorn worker, opened after the fork (a sync worker serves one request at a time).
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(dsn_from_env())
    return _connection


@app.post("/events/<int:event_id>/register")
def register(event_id: int):
    email = request.form.get("email", "").strip().lower()
    if not email:
        return "email is required", 422
    conn = connection()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (event_id,))
        row = conn.execute(REGISTER, {"event": event_id, "email": email, "capacity": CAPACITY}).fetchone()
    if row is None:
        return redirect(f"/events/{event_id}/already-registered", 303)
    return redirect(f"/events/{event_id}/registered", 303)
