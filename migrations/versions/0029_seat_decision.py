"""registration_seat_decision(): on PostgreSQL, the event locked and its places counted in one round trip

A registration written before the lock (app/services/registration/registration.py) then locks the event and
counts the confirmed registrations of others. Two statements, two round trips, because a statement reads the
database as of its own start: a count sent with the locking SELECT would miss what was committed while it
waited. In a VOLATILE function each statement takes a snapshot of its own, so the function's count, run after
its lock, sees all of it: one statement from the app, the same decision.

SQLite has no row locks (its writer holds the database, app/database.py begin_write): nothing to create.

Revision ID: 0029
Revises: 0028
"""
from alembic import op


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

# A copy of what app/services/registration/locking.py reads: a released migration never changes with the app.
# The columns that decide whether and how a registration is accepted, read again under the lock, and the count.
CREATE = """
CREATE OR REPLACE FUNCTION registration_seat_decision(event_id integer, registration_id integer)
RETURNS TABLE (status varchar, registration_mode varchar, capacity integer, waiting_list_enabled boolean,
               registration_opens_at timestamp, registration_closes_at timestamp, ends_at timestamp,
               timezone varchar, others_confirmed bigint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- NO KEY UPDATE, as the app's own lock: registrations pointing at the event do not block it.
    PERFORM 1 FROM events e WHERE e.id = registration_seat_decision.event_id FOR NO KEY UPDATE;
    -- A statement of its own, so a snapshot of its own: taken after the lock.
    RETURN QUERY
    SELECT e.status::varchar, e.registration_mode::varchar, e.capacity, e.waiting_list_enabled,
           e.registration_opens_at, e.registration_closes_at, e.ends_at, e.timezone::varchar,
           (SELECT count(*) FROM registrations r
            WHERE r.event_id = registration_seat_decision.event_id AND r.status = 'confirmed'
              AND r.id <> registration_seat_decision.registration_id)
    FROM events e WHERE e.id = registration_seat_decision.event_id;
END $$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS registration_seat_decision(integer, integer)")
