"""An event's registrations per status and country, added up from the changes the database writes
(app/models/registration_counts.py), and folded into one row per status and country once they have grown."""

from __future__ import annotations

from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession

from app.database import begin_write
from app.models import RegistrationCountChange

# An event's changes read before they are folded: reading them stays a few hundred rows at most, and folding (a
# DELETE and an INSERT of a few rows) happens once for every so many registrations or changes of status.
FOLD_AFTER = 400

_CHANGES = cast(sa.Table, RegistrationCountChange.__table__)  # declared as a FromClause; a mapped class's is a Table
_EVENT = sa.bindparam("event_id", type_=sa.Integer)

# PostgreSQL, one statement: the rows it deletes are exactly the ones it adds up. A change committed meanwhile is
# not in its snapshot, so neither deleted nor counted: it stays, to be added to the folded rows. A second fold at
# the same moment waits for the first, then skips the rows the first deleted and cannot see the ones it wrote.
_FOLD_POSTGRESQL = sa.text(
    "WITH folded AS (DELETE FROM registration_count_changes WHERE event_id = :event_id "
    "RETURNING status, country, change) "
    "INSERT INTO registration_count_changes (event_id, status, country, change) "
    "SELECT :event_id, status, country, sum(change) FROM folded GROUP BY status, country HAVING sum(change) <> 0")
# SQLite: three statements, under the database's one write lock (begin_write), which nothing passes meanwhile.
_TOTALS = (sa.select(_CHANGES.c.status, _CHANGES.c.country, sa.func.sum(_CHANGES.c.change).label("change"))
           .where(_CHANGES.c.event_id == _EVENT).group_by(_CHANGES.c.status, _CHANGES.c.country)
           .having(sa.func.sum(_CHANGES.c.change) != 0))
_DELETE = sa.delete(_CHANGES).where(_CHANGES.c.event_id == _EVENT)


def fold(bind: Engine | Connection, event_id: int) -> None:
    """Replace the event's changes by their totals, one row per status and country (none where they add up to 0),
    in a transaction of its own: the caller's may be reading, or read-only. The sums stay what they were, for
    every reader at every moment."""
    with OrmSession(bind) as session:
        begin_write(session)
        if bind.dialect.name == "postgresql":
            session.execute(_FOLD_POSTGRESQL, {"event_id": event_id})
        else:
            totals = [row._asdict() for row in session.execute(_TOTALS, {"event_id": event_id})]
            session.execute(_DELETE, {"event_id": event_id})
            if totals:
                session.execute(sa.insert(_CHANGES), [{"event_id": event_id, **total} for total in totals])
        session.commit()
