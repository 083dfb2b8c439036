"""Migration 0016: everyone who managed an event before keeps managing it, as a manager on its team; going back
gives the managers their old table again."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import make_app


def _row(table: sa.Table, **values) -> dict:
    """A row with every required column filled with something plain."""
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None or column.primary_key:
            continue
        kind = column.type.python_type
        values[column.name] = {str: "x", int: 1, bool: False, datetime: datetime(2030, 1, 1), date: date(2030, 1, 1)}[kind]
    return values


def test_event_managers_become_managers_on_the_team_and_back(tmp_path, smtp_server):
    app = make_app(f"sqlite:///{tmp_path / 'migrate.db'}", smtp_server.port)
    with app.app_context():
        from app.extensions import db

        upgrade(revision="0014")
        old = sa.MetaData()
        old.reflect(db.engine)
        with db.engine.begin() as conn:
            conn.execute(old.tables["users"].insert(), [_row(old.tables["users"], id=1, email="mina@wtanet.org"),
                                                        _row(old.tables["users"], id=2, email="kim@wtanet.org")])
            conn.execute(old.tables["events"].insert(), [_row(old.tables["events"], id=7, slug="a"),
                                                         _row(old.tables["events"], id=8, slug="b")])
            conn.execute(old.tables["event_managers"].insert(),
                         [{"event_id": 7, "user_id": 1}, {"event_id": 8, "user_id": 1}, {"event_id": 8, "user_id": 2}])

        upgrade(revision="0016")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT event_id, series_id, user_id, role FROM team_members ORDER BY 1, 3"))
            assert rows.all() == [(7, None, 1, "manager"), (8, None, 1, "manager"), (8, None, 2, "manager")]
            assert "event_managers" not in sa.inspect(conn).get_table_names()

        downgrade(revision="0014")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT event_id, user_id FROM event_managers ORDER BY 1, 2"))
            assert rows.all() == [(7, 1), (8, 1), (8, 2)]
        db.engine.dispose()
