"""statistics: the optional gender question (events.asks_gender) and its answer (registrations.gender)

Revision ID: 0021
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asks_gender', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sa.Enum('woman', 'man', 'another', 'undisclosed', name='gender',
                                                        native_enum=False, length=12), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('gender')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('asks_gender')
