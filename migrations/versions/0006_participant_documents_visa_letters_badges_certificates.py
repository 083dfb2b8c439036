"""participant documents: visa letters, badges, certificates (issue 6)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visa_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', name='visarequeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('passport_name', sa.String(length=200), nullable=True),
    sa.Column('nationality', sa.String(length=2), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('passport_number', sa.String(length=40), nullable=True),
    sa.Column('passport_expiry', sa.Date(), nullable=True),
    sa.Column('verification_code', sa.String(length=20), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_visa_requests_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_visa_requests_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visa_requests')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_visa_requests_registration_id')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_visa_requests_verification_code'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('verification_code', sa.String(length=20), nullable=False),
    sa.Column('days_attended', sa.Integer(), nullable=False),
    sa.Column('days_total', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_certificates_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_certificates_registration_id')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_certificates_verification_code'))
    )
    op.create_table('document_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_title', sa.String(length=200), nullable=False),
    sa.Column('letter_body', sa.Text(), nullable=False),
    sa.Column('badge_heading', sa.String(length=200), nullable=False),
    sa.Column('certificate_body', sa.Text(), nullable=False),
    sa.Column('certificate_threshold', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('certificate_threshold BETWEEN 1 AND 100', name=op.f('ck_document_settings_threshold_is_a_percent')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_document_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_document_settings'))
    )


def downgrade():
    op.drop_table('document_settings')
    op.drop_table('certificates')
    op.drop_table('visa_requests')
