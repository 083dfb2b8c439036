"""users: a per-user session token (sign-out ends every copy of the cookie), invitations without a password yet

Revision ID: 0015_accounts
Revises: 0014
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = "0015"
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('invited_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)
    # Each existing account its own random token (every cookie issued before this migration stops working,
    # as it carried the numeric id).
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_session_token'), ['session_token'])


def downgrade():
    users = sa.table('users', sa.column('password_hash', sa.String))
    # An invitation not taken up cannot sign in either way: "!" is no argon2 hash.
    op.get_bind().execute(users.update().where(users.c.password_hash.is_(None)).values(password_hash='!'))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_session_token'), type_='unique')
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_column('invited_at')
        batch_op.drop_column('session_token')
