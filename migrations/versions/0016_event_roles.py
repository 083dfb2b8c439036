"""team_members: people on an event's or a series' team with a role; replaces event_managers (copied as managers)

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'team_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum('manager', 'reviewer', 'check_in', 'viewer', name='teamrole',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(event_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_team_members_event_or_series')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_team_members_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_team_members_series_id_series'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members')),
        sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_team_members_event_id')),
        sa.UniqueConstraint('series_id', 'user_id', name=op.f('uq_team_members_series_id')),
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_members_user_id'), ['user_id'], unique=False)
    # Everyone who managed an event keeps doing so.
    op.execute(
        "INSERT INTO team_members (event_id, user_id, role, added_at) "
        "SELECT event_id, user_id, 'manager', CURRENT_TIMESTAMP FROM event_managers"
    )
    op.drop_table('event_managers')


def downgrade():
    op.create_table(
        'event_managers',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_managers_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_managers_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_managers')),
    )
    # Only event managers fit the old table; series teams and the other roles are lost.
    op.execute(
        "INSERT INTO event_managers (event_id, user_id) "
        "SELECT event_id, user_id FROM team_members WHERE event_id IS NOT NULL AND role = 'manager'"
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_members_user_id'))
    op.drop_table('team_members')
