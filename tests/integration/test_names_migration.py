"""Migration 0026: the registrations made before it get the name order their script suggests (family name first
for Hangul, Han and Kana), sort and search keys, and the name indexes on those keys; going back restores 0022's."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.conftest import BACKENDS, _postgres_database, make_app
from tests.integration.test_team_migration import _row


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'names.db'}"
    else:
        url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
        yield url.render_as_string(hide_password=False)
        drop()


def test_existing_names_get_their_order_and_keys_and_back(empty_database, smtp_server):
    app = make_app(empty_database, smtp_server.port)
    with app.app_context():
        from app.extensions import db

        upgrade(revision="0024")
        old = sa.MetaData()
        old.reflect(db.engine)
        events, registrations = old.tables["events"], old.tables["registrations"]
        with db.engine.begin() as conn:
            conn.execute(events.insert(), [_row(events, id=1, slug="forum", code="DGIF")])
            conn.execute(registrations.insert(), [
                _row(registrations, id=n, event_id=1, reference=f"DGIF-{n}", email=f"{n}@example.org",
                     given_name=given, family_name=family, status="confirmed", organisation_type="company")
                for n, (given, family) in enumerate([("민준", "김"), ("Văn An", "Nguyễn"), ("Amina", "Diallo")], 1)])

        upgrade(revision="0026")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT given_name, name_order, single_name, sort_name, search_name FROM registrations ORDER BY id"))
            assert [tuple(row) for row in rows] == [
                ("민준", "family_first", False, "김 민준", "김민준 | 민준 김"),
                ("Văn An", "given_first", False, "nguyen van an", "van an nguyen | nguyen van an | nguyenvan an"),
                ("Amina", "given_first", False, "diallo amina", "amina diallo | diallo amina | dialloamina"),
            ]
            indexes = {ix["name"]: ix["column_names"] for ix in sa.inspect(conn).get_indexes("registrations")}
            assert indexes["ix_registrations_event_name"] == ["event_id", "sort_name", "id"]

        downgrade(revision="0024")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("registrations")}
            assert not columns & {"name_order", "single_name", "sort_name", "search_name", "passport_given_name"}
            assert conn.execute(sa.text("SELECT count(*) FROM registrations")).scalar() == 3
        db.engine.dispose()
