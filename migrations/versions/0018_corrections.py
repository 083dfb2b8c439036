"""corrections: participants' correction requests, replaced documents' codes, the event's deadline and name lock

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_editable_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('names_locked', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        'correction_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_correction_requests_registration_id_registrations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_correction_requests_resolved_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_requests')),
    )
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_requests_registration_id'), ['registration_id'], unique=False)

    op.create_table(
        'replaced_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('certificate', 'visa_letter', name='replaceddocumentkind', native_enum=False,
                                  length=20), nullable=False),
        sa.Column('verification_code', sa.String(length=20), nullable=False),
        sa.Column('name_printed', sa.String(length=210), nullable=False),
        sa.Column('replaced_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_replaced_documents_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_replaced_documents')),
        sa.UniqueConstraint('verification_code', name=op.f('uq_replaced_documents_verification_code')),
    )
    with op.batch_alter_table('replaced_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replaced_documents_registration_id'), ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('replaced_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replaced_documents_registration_id'))
    op.drop_table('replaced_documents')
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_requests_registration_id'))
    op.drop_table('correction_requests')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('names_locked')
        batch_op.drop_column('details_editable_until')
