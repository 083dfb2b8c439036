"""an event's or a series' own subject and body for each kind of automatic email

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'email_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('(event_id IS NULL) <> (series_id IS NULL)', name=op.f('ck_email_texts_one_owner')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_email_texts_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_email_texts_series_id_series'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_email_texts_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_email_texts')),
        sa.UniqueConstraint('event_id', 'kind', name='uq_email_texts_event_kind'),
        sa.UniqueConstraint('series_id', 'kind', name='uq_email_texts_series_kind'),
    )


def downgrade():
    op.drop_table('email_texts')
