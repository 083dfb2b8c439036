"""privacy: what each registration consented to, deletion requests, anonymisation; each event's retention period

Revision ID: 0024
Revises: 0022
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_version', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('privacy_notice_url', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('deletion_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('deletion_requested_at')
        batch_op.drop_column('privacy_notice_url')
        batch_op.drop_column('consent_version')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('retention_months')
