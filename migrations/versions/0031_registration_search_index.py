"""A trigram index for the attendee list's search, on PostgreSQL

The list's search looks for each term anywhere in the name, the email, the organisation and the reference
(LIKE '%term%', app/services/registration/attendees.py). No B-tree serves that: PostgreSQL read every
registration of the event, for the page and again for its count (20 ms at 20,000). pg_trgm's GIN index answers
LIKE '%term%' for terms of three characters or more, in all four columns at once (one index, a column each).

pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database's owner may create it. Where the
server does not have it, or the account may not create it, the migration says so and the search works as before,
without the index. SQLite: nothing to create.

Revision ID: 0031
Revises: 0030
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

# The expressions exactly as the search writes them, or the planner would not match them to the index.
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_registrations_search ON registrations USING gin "
    "(search_name gin_trgm_ops, lower(email) gin_trgm_ops, lower(organisation) gin_trgm_ops, "
    "lower(reference) gin_trgm_ops)"
)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if available:
        try:
            with bind.begin_nested():  # a savepoint: a refusal must not end the migration's transaction
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError as refused:  # the account may not create extensions in this database
            available = None
            logging.getLogger("alembic.runtime.migration").warning("CREATE EXTENSION pg_trgm: %s", refused.orig)
    if not available:
        logging.getLogger("alembic.runtime.migration").warning(
            "pg_trgm is not installed: the attendee search works without its index, more slowly.")
        return
    op.execute(CREATE_INDEX)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_registrations_search")
        # The extension stays: something else in the database may use it.
