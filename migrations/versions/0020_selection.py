"""applications: confirming attendance by a deadline, lapsed acceptances, duplicates; events: the deadline

Revision ID: 0020
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # The new application statuses ('lapsed', 'duplicate') need nothing: the status is a plain string column.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_within_days', sa.Integer(), nullable=True))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_by', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('attendance_confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_applications_duplicate_of_id_registrations'), 'registrations',
                                    ['duplicate_of_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_duplicate_of_id_registrations'), type_='foreignkey')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('attendance_confirmed_at')
        batch_op.drop_column('confirm_by')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('confirm_within_days')
