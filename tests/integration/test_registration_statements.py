"""The registration POST stays light: a guard on the number of SQL statements it runs (not on time)."""

from __future__ import annotations

import os

import sqlalchemy as sa

from app.extensions import db
from tests.conftest import csrf_token, registration_form


def statements_of_post(client, event, **fields) -> list[str]:
    url = f"/events/{event.slug}"
    page = client.get(url)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post(url,
                               data={**registration_form(**fields), "csrf_token": csrf_token(page)})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 302, response.data[:2000]
    if os.environ.get("SHOW_QUERIES"):
        print(*statements, sep="\n---\n")
    # SQLite's BEGIN IMMEDIATE is a statement of its own; PostgreSQL's BEGIN goes with the first query.
    return [s for s in statements if not s.startswith("BEGIN")]


def test_registering_for_a_plain_event_takes_few_statements(make_event, client):
    event = make_event(capacity=20)
    statements = statements_of_post(client, event)
    assert len(statements) <= 5, statements
