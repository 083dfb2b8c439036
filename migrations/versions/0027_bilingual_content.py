"""bilingual content: a Korean version beside each text organisers write (events, series, sessions,
questions, email texts, document wording)

Each translatable column gets a `<name>_ko` sibling, empty when not given (the English then shows). Columns,
not a translations table: there are two languages, the texts are read with their rows (no extra join on the
list pages), and each stays a typed attribute. A question's Korean options are labels at the same positions
as the English ones, which stay the stored values, so answers are the same whatever the language.

Revision ID: 0027
Revises: 0026
"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

COLUMNS = {
    'events': [('title_ko', sa.String(200)), ('summary_ko', sa.String(500)), ('description_ko', sa.Text()),
               ('venue_ko', sa.String(200)), ('city_ko', sa.String(120))],
    'series': [('name_ko', sa.String(200)), ('description_ko', sa.Text()), ('title_pattern_ko', sa.String(300))],
    'programme_sessions': [('title_ko', sa.String(200)), ('description_ko', sa.Text()), ('room_ko', sa.String(120))],
    'questions': [('label_ko', sa.String(300)), ('help_text_ko', sa.String(500))],
    'email_texts': [('subject_ko', sa.String(200)), ('body_ko', sa.Text())],
    'document_settings': [('signatory_name_ko', sa.String(200)), ('signatory_title_ko', sa.String(200)),
                          ('letter_body_ko', sa.Text()), ('badge_heading_ko', sa.String(200)),
                          ('certificate_body_ko', sa.Text())],
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, server_default='', nullable=False))
            if table == 'questions':
                batch_op.add_column(sa.Column('options_ko', sa.JSON(), server_default=sa.text("'[]'"),
                                              nullable=False))


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'questions':
                batch_op.drop_column('options_ko')
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
