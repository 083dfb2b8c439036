"""events: which emails their organisers get about new registrations, and when the last daily digest went

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_alerts', sa.Enum('each', 'daily', 'none', name='organiseralerts',
                                                                  native_enum=False, length=10),
                                      server_default='daily', nullable=False))
        batch_op.add_column(sa.Column('last_digest_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('last_digest_at')
        batch_op.drop_column('organiser_alerts')
