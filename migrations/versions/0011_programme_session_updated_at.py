"""programme sessions remember when they last changed (the SEQUENCE of their calendar entries)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
    # Existing sessions last changed, as far as anyone knows, when they were created.
    op.execute("UPDATE programme_sessions SET updated_at = created_at")
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
