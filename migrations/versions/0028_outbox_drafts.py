"""outbox drafts: an email queued with the facts it states, written by the mail worker

A registration's confirmation (its text, HTML and calendar file) took half of the registration request's
CPU. The request now stores only what the email must say as it was at that moment (`draft`: the
registration's status and language); the worker writes the email from it just before sending and stores
the result in the usual columns, emptying `draft`. NULL: an email written when it was queued (all before).

Revision ID: 0028
Revises: 0027
"""
from alembic import op
import sqlalchemy as sa


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_emails') as batch:
        batch.add_column(sa.Column('draft', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_emails') as batch:
        batch.drop_column('draft')
