"""participant roles on registrations (printed on badges)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'role',
            sa.Enum('participant', 'speaker', 'organiser', 'guest', 'press', name='participantrole',
                    native_enum=False, length=20),
            nullable=False, server_default='participant'))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('role')
