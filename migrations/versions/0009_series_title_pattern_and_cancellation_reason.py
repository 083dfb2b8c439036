"""series title patterns (ordinal and per-edition theme) and the reason an event was cancelled

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('series', schema=None) as batch_op:
        # Existing series keep the titles they had: "6th Daejeon Global Innovation Forum 2024".
        batch_op.add_column(sa.Column('title_pattern', sa.String(length=300), nullable=False,
                                      server_default='{ordinal} {name} {year}'))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancellation_reason', sa.Text(), nullable=False, server_default=''))
    # Cancelling a draft used to make it public. A draft cannot be cancelled any more (it is
    # deleted instead); a cancelled event nobody ever registered for cannot be told apart from
    # such a draft, so it goes back to being a draft: hidden, and its organisers can delete it.
    op.execute(
        "UPDATE events SET status = 'draft' WHERE status = 'cancelled' "
        "AND NOT EXISTS (SELECT 1 FROM registrations WHERE registrations.event_id = events.id)"
    )


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('title_pattern')
