"""signature and stamp images printed on an event's visa letters

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_images',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('signature', 'stamp', name='documentimagekind', native_enum=False, length=20),
              nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_document_images_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_document_images_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('event_id', 'kind', name=op.f('pk_document_images')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_document_images_stored_name'))
    )


def downgrade():
    op.drop_table('document_images')
