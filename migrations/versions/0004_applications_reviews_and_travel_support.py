"""applications, reviews and travel support (issue 5)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_mode', sa.Enum('open', 'application', name='registrationmode', native_enum=False, length=20), server_default='open', nullable=False))

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'under_review', 'accepted', 'waitlisted', 'declined', 'withdrawn', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_applications_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_applications_registration_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_status', ['status'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score IS NULL OR (score BETWEEN 1 AND 5)', name=op.f('ck_reviews_score_1_to_5')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_reviews_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name='uq_reviews_application_reviewer')
    )

    op.create_table('travel_support_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('wants_flight', sa.Boolean(), nullable=False),
    sa.Column('wants_accommodation', sa.Boolean(), nullable=False),
    sa.Column('wants_per_diem', sa.Boolean(), nullable=False),
    sa.Column('estimated_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('estimated_currency', sa.String(length=3), nullable=False),
    sa.Column('decision', sa.Enum('pending', 'granted', 'partly', 'declined', name='traveldecision', native_enum=False, length=20), nullable=False),
    sa.Column('granted_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('granted_currency', sa.String(length=3), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('estimated_amount IS NULL OR estimated_amount >= 0', name=op.f('ck_travel_support_requests_estimate_not_negative')),
    sa.CheckConstraint('granted_amount IS NULL OR granted_amount >= 0', name=op.f('ck_travel_support_requests_grant_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_travel_support_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_travel_support_requests_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_support_requests')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_travel_support_requests_registration_id'))
    )


def downgrade():
    op.drop_table('travel_support_requests')
    op.drop_table('reviews')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_status')
    op.drop_table('applications')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('registration_mode')
