"""audit_entries: the append-only audit log, and the triggers that refuse to change it

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

REFUSAL = "the audit log is append-only"
# The one change allowed: erasing an entry's values once, when the person it is about has their data deleted
# (app/services/audit/erasure.py). Who acted, on what, what kind of change and when all stay as they were.
_SAME = ("id", "at", "actor_kind", "actor_user_id", "actor_label", "event_id", "registration_id", "object_type",
         "object_id", "action")
ERASING_SQLITE = "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND " + " AND ".join(
    f"NEW.{column} IS OLD.{column}" for column in _SAME)
ERASING_POSTGRESQL = "OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND " + " AND ".join(
    f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}" for column in _SAME)
# The same SQL as app/services/audit/guards.py, copied: a released migration never changes with the app.
CREATE = {
    "sqlite": [
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
        f"WHEN NOT ({ERASING_SQLITE}) BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN IF TG_OP = 'UPDATE' AND {ERASING_POSTGRESQL} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{REFUSAL}'; END; $$",
        "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
    ],
}
DROP_FUNCTION = {"postgresql": ["DROP FUNCTION IF EXISTS audit_entries_append_only()"]}


def upgrade():
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_kind', sa.Enum('user', 'participant', 'public', 'system', name='actorkind',
                                        native_enum=False, length=20), nullable=False),
        sa.Column('actor_user_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=300), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('object_type', sa.String(length=60), nullable=False),
        sa.Column('object_id', sa.String(length=60), nullable=True),
        sa.Column('object_label', sa.String(length=300), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('erased_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_event_id_id', ['event_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_registration_id_id', ['registration_id', 'id'], unique=False)
    for statement in CREATE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    # Dropping the table drops its triggers; PostgreSQL's trigger function goes separately.
    op.drop_table('audit_entries')
    for statement in DROP_FUNCTION.get(op.get_bind().dialect.name, []):
        op.execute(statement)
