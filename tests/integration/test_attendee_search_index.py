"""On PostgreSQL the attendee list's search is answered from its trigram index (migration 0031), not by reading
every registration of the event: the statements the page really sends, explained by the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OrganisationType, Registration, RegistrationStatus, utcnow
from tests.conftest import start_writing, statements_sent


@pytest.fixture
def organiser(make_user, auth):
    user = make_user()
    auth.login()
    return user


def test_a_search_among_a_thousand_finds_its_ten_from_the_trigram_index(app, organiser, make_event, client):
    """SQLite has no trigram index: there the search reads the event's rows, and finds the same ten."""
    event = make_event(capacity=None)
    start_writing()
    now = utcnow()
    db.session.execute(sa.insert(Registration.__table__), [dict(
        event_id=event.id, reference=f"{event.code}-S{n:05d}", status=RegistrationStatus.CONFIRMED,
        given_name=f"Given{n:05d}", family_name=f"Family{n:05d}", email=f"p{n}@example.org",
        organisation=f"Technology Park {n % 300}", organisation_type=OrganisationType.SCIENCE_PARK,
        country="KE", consent_at=now, created_at=now) for n in range(1000)])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE registrations"))
        db.session.commit()

    url = f"/admin/events/{event.id}/attendees?q=family0012"
    page = client.get(url).data.decode()
    assert "Showing 1–10 of 10." in page  # Family00120 ... Family00129
    if db.engine.dialect.name != "postgresql":
        return
    with statements_sent() as sent:
        assert client.get(url).status_code == 200
    searches = [statement for statement in sent if "search_name LIKE" in statement]
    assert searches, "the page sent no search"
    with db.engine.connect() as connection:
        # A thousand rows are read faster in one sweep than through any index, which PostgreSQL knows. The LIKEs
        # made dear, as they are when every one of 100,000 rows is tried: the plan of a big event.
        connection.exec_driver_sql("SET LOCAL cpu_operator_cost = 1")
        for statement in searches:
            plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {statement}", statement.parameters).scalars())
            assert "ix_registrations_search" in plan, plan
