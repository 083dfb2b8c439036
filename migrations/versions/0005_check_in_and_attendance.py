"""check-in and attendance (issue 6)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('checked_in_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['checked_in_by'], ['users.id'], name=op.f('fk_check_ins_checked_in_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_check_ins_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'], name=op.f('fk_check_ins_session_id_programme_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_ins'))
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_check_ins_day', ['day'], unique=False)
        batch_op.create_index('ix_check_ins_registration_id_day', ['registration_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_check_ins_session_id'), ['session_id'], unique=False)
        # NULLs are distinct in UNIQUE: one index for door check-ins (no session), one for sessions.
        batch_op.create_index('uq_check_ins_registration_day', ['registration_id', 'day'], unique=True,
                              postgresql_where=sa.text('session_id IS NULL'), sqlite_where=sa.text('session_id IS NULL'))
        batch_op.create_index('uq_check_ins_registration_day_session', ['registration_id', 'day', 'session_id'], unique=True,
                              postgresql_where=sa.text('session_id IS NOT NULL'), sqlite_where=sa.text('session_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('uq_check_ins_registration_day_session')
        batch_op.drop_index('uq_check_ins_registration_day')
        batch_op.drop_index(batch_op.f('ix_check_ins_session_id'))
        batch_op.drop_index('ix_check_ins_registration_id_day')
        batch_op.drop_index('ix_check_ins_day')

    op.drop_table('check_ins')
