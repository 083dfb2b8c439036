"""names as people write them (issue 14): one-name people, the name's order, the passport's Latin form, and
sort/search keys that fold accents and keep Hangul whole

Existing rows: names in Hangul, Han or Kana become family-name-first (as the app now defaults new ones), the
rest given-name-first; nobody is taken for a one-name person; sort_name and search_name are computed here with a
frozen copy of app/models/names.py (a migration must not change when the app's code does). The name indexes of
0022 now read sort_name.

Revision ID: 0026
Revises: 0025
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

OLD_NAME = [sa.text('lower(family_name)'), sa.text('lower(given_name)')]
BATCH = 1000

_EAST_ASIAN = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF),
               (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF),
               (0xF900, 0xFAFF), (0xFF66, 0xFFDC), (0x20000, 0x3134F))
_NOT_DECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
                                 "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ħ": "h"})


def _east_asian(c):
    return any(low <= ord(c) <= high for low, high in _EAST_ASIAN)


def _only_east_asian(text):
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_east_asian(c) for c in letters)


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


def _written(given, family, family_first):
    given, family = given.strip(), family.strip()
    if not family or not given:
        return given or family
    if not family_first:
        return f"{given} {family}"
    if _only_east_asian(family) and _only_east_asian(given):
        return family + given
    return f"{family} {given}"


def _keys(given, family):
    family_first = any(_east_asian(c) for c in given + family)
    sort = (f"{_fold(family)} {_fold(given)}" if family.strip() else _fold(given))[:200]
    forms = [_written(given, family, family_first), _written(given, family, False), _written(given, family, True),
             f"{family}{given}"]
    search = " | ".join(dict.fromkeys(f for f in (_fold(form) for form in forms) if f))[:600]
    return ("family_first" if family_first else "given_first"), sort, search


def upgrade():
    # First: SQLite's batch mode may copy the table, and it cannot carry 0022's expression indexes across.
    # IF EXISTS: a migration run before this one may have copied the table already, losing them (SQLite only).
    op.execute('DROP INDEX IF EXISTS ix_registrations_event_status_name')
    op.execute('DROP INDEX IF EXISTS ix_registrations_event_name')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('single_name', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('name_order', sa.Enum('given_first', 'family_first', name='nameorder',
                                                            native_enum=False, length=12),
                                      server_default='given_first', nullable=False))
        batch_op.add_column(sa.Column('passport_given_name', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('passport_family_name', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('sort_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_name', sa.String(length=600), server_default='', nullable=False))

    connection = op.get_bind()
    registrations = sa.table('registrations', sa.column('id', sa.Integer), sa.column('given_name', sa.String),
                             sa.column('family_name', sa.String), sa.column('name_order', sa.String),
                             sa.column('sort_name', sa.String), sa.column('search_name', sa.String))
    update = (sa.update(registrations).where(registrations.c.id == sa.bindparam('row_id'))
              .values(name_order=sa.bindparam('order'), sort_name=sa.bindparam('sort'),
                      search_name=sa.bindparam('search')))
    last_id = 0
    while True:  # in batches by id: the forum's 20,000 rows are never all in memory
        rows = connection.execute(
            sa.select(registrations.c.id, registrations.c.given_name, registrations.c.family_name)
            .where(registrations.c.id > last_id).order_by(registrations.c.id).limit(BATCH)).all()
        if not rows:
            break
        params = []
        for row_id, given, family in rows:
            order, sort, search = _keys(given or "", family or "")
            params.append({'row_id': row_id, 'order': order, 'sort': sort, 'search': search})
        connection.execute(update, params)
        last_id = rows[-1][0]

    op.create_index('ix_registrations_event_name', 'registrations', ['event_id', 'sort_name', 'id'])
    op.create_index('ix_registrations_event_status_name', 'registrations', ['event_id', 'status', 'sort_name', 'id'])


def downgrade():
    op.drop_index('ix_registrations_event_status_name', table_name='registrations')
    op.drop_index('ix_registrations_event_name', table_name='registrations')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('search_name')
        batch_op.drop_column('sort_name')
        batch_op.drop_column('passport_family_name')
        batch_op.drop_column('passport_given_name')
        batch_op.drop_column('name_order')
        batch_op.drop_column('single_name')
    op.create_index('ix_registrations_event_name', 'registrations', ['event_id', *OLD_NAME, 'id'])
    op.create_index('ix_registrations_event_status_name', 'registrations', ['event_id', 'status', *OLD_NAME, 'id'])
