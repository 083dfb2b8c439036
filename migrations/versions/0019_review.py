"""events: an optional travel-support budget (amount and currency), warned about during selection

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('travel_budget_amount', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('travel_budget_currency', sa.String(length=3), server_default='USD',
                                      nullable=False))
        batch_op.create_check_constraint(op.f('ck_events_travel_budget_not_negative'),
                                         'travel_budget_amount IS NULL OR travel_budget_amount >= 0')


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_events_travel_budget_not_negative'), type_='check')
        batch_op.drop_column('travel_budget_currency')
        batch_op.drop_column('travel_budget_amount')
