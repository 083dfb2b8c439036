"""the attendee list at the forum's scale: indexes for its sorts, filters and facets (issue 17)

ix_registrations_event_status (event_id, status) is replaced by ix_registrations_event_status_country, which
starts with the same columns: the seat count reads it as before, and one index less is written per registration.

Revision ID: 0022
Revises: 0021
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

NAME = [sa.text('lower(family_name)'), sa.text('lower(given_name)')]


def upgrade():
    op.create_index('ix_registrations_event_name', 'registrations', ['event_id', *NAME, 'id'])
    op.create_index('ix_registrations_event_status_name', 'registrations', ['event_id', 'status', *NAME, 'id'])
    op.create_index('ix_registrations_event_created', 'registrations', ['event_id', 'created_at', 'id'])
    op.create_index('ix_registrations_event_status_country', 'registrations', ['event_id', 'status', 'country'])
    op.drop_index('ix_registrations_event_status', table_name='registrations')


def downgrade():
    op.create_index('ix_registrations_event_status', 'registrations', ['event_id', 'status'])
    op.drop_index('ix_registrations_event_status_country', table_name='registrations')
    op.drop_index('ix_registrations_event_created', table_name='registrations')
    op.drop_index('ix_registrations_event_status_name', table_name='registrations')
    op.drop_index('ix_registrations_event_name', table_name='registrations')
