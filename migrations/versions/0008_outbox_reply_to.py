"""emails remember where replies go (the event's contact address)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=True))
    # Emails still waiting to go out get the contact address of their event, as new ones do.
    op.execute(
        "UPDATE outbox_emails SET reply_to = ("
        " SELECT events.contact_email FROM registrations JOIN events ON events.id = registrations.event_id"
        " WHERE registrations.id = outbox_emails.registration_id)"
        " WHERE status = 'pending' AND registration_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_column('reply_to')
