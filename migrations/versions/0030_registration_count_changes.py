"""registration_count_changes: each event's registrations per status and country, as changes the database writes

The attendee list's status tabs and country filter counted every registration of the event on each page (2 ms
at 20,000). Triggers now write +1 / -1 for each registration inserted, deleted or moved to another event, status
or country, in the same transaction; the list adds up a few rows instead (app/models/registration_counts.py).
The existing registrations are counted once here, as one change per event, status and country.

Revision ID: 0030
Revises: 0029
"""
from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None

_INSERT = "INSERT INTO registration_count_changes (event_id, status, country, change) VALUES"
_MOVED = ("OLD.event_id IS DISTINCT FROM NEW.event_id OR OLD.status IS DISTINCT FROM NEW.status "
          "OR OLD.country IS DISTINCT FROM NEW.country")
CREATE = {
    "sqlite": [
        "CREATE TRIGGER registration_counts_insert AFTER INSERT ON registrations "
        f"BEGIN {_INSERT} (NEW.event_id, NEW.status, NEW.country, 1); END",
        "CREATE TRIGGER registration_counts_delete AFTER DELETE ON registrations "
        f"BEGIN {_INSERT} (OLD.event_id, OLD.status, OLD.country, -1); END",
        "CREATE TRIGGER registration_counts_update AFTER UPDATE OF event_id, status, country ON registrations "
        f"WHEN {_MOVED.replace('IS DISTINCT FROM', 'IS NOT')} "
        f"BEGIN {_INSERT} (OLD.event_id, OLD.status, OLD.country, -1); "
        f"{_INSERT} (NEW.event_id, NEW.status, NEW.country, 1); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION registration_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_INSERT} (OLD.event_id, OLD.status, OLD.country, -1); END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_INSERT} (NEW.event_id, NEW.status, NEW.country, 1); END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER registration_counts_insert_delete AFTER INSERT OR DELETE ON registrations "
        "FOR EACH ROW EXECUTE FUNCTION registration_counts_follow()",
        "CREATE TRIGGER registration_counts_update AFTER UPDATE OF event_id, status, country ON registrations "
        f"FOR EACH ROW WHEN ({_MOVED}) EXECUTE FUNCTION registration_counts_follow()",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS registration_counts_insert", "DROP TRIGGER IF EXISTS registration_counts_delete",
               "DROP TRIGGER IF EXISTS registration_counts_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS registration_counts_insert_delete ON registrations",
                   "DROP TRIGGER IF EXISTS registration_counts_update ON registrations",
                   "DROP FUNCTION IF EXISTS registration_counts_follow()"],
}


def upgrade():
    op.create_table(
        'registration_count_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.Enum('applied', 'confirmed', 'waitlisted', 'cancelled', name='registrationstatus',
                                    native_enum=False, length=20), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('change', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_count_changes')),
    )
    op.create_index('ix_registration_count_changes_event', 'registration_count_changes',
                    ['event_id', 'status', 'country'])
    op.execute("INSERT INTO registration_count_changes (event_id, status, country, change) "
               "SELECT event_id, status, country, count(*) FROM registrations GROUP BY event_id, status, country")
    for statement in CREATE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index('ix_registration_count_changes_event', table_name='registration_count_changes')
    op.drop_table('registration_count_changes')
