"""What the audit log records and what it hides.

Every mapped model is logged unless it opts out: a class attribute `__audit__ = False`, or its table in
EXCLUDED_TABLES (for rows that are machinery, not decisions). A column opts out with
`mapped_column(..., info={"audit": "skip"})`, and is hidden with `info={"audit": "secret"}` (never shown,
only that it changed) or `info={"audit": "last4"}` (only its last four characters). Columns whose names
say they are secrets (password, token, secret, hash) are hidden without being told.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa

# The outbox is every email's text and delivery attempts (the email log shows it); what an organiser decided
# to send is logged through its Message. The audit entries are excluded by their own __audit__ = False.
EXCLUDED_TABLES = frozenset({"outbox_emails", "alembic_version"})
# Bookkeeping columns that change with every write and say nothing about who decided what.
SKIPPED_COLUMNS = frozenset({"updated_at"})
LAST_FOUR = frozenset({"passport_number"})
_SECRET_NAME = re.compile(r"password|token|secret|(^|_)hash$|api_key")

HIDDEN = "(hidden)"
_PLAIN = frozenset({str, int, float, bool})
_audited: dict[type, bool] = {}


def is_audited(cls: type) -> bool:
    known = _audited.get(cls)
    if known is None:
        table = getattr(cls, "__tablename__", None)
        known = _audited[cls] = bool(getattr(cls, "__audit__", True)) and table not in EXCLUDED_TABLES
    return known


def treatment(column: sa.Column) -> str:
    """"skip", "secret", "last4" or "" (shown as it is)."""
    told = column.info.get("audit", "")
    if told:
        return str(told)
    if column.key in SKIPPED_COLUMNS:
        return "skip"
    if column.key in LAST_FOUR:
        return "last4"
    if _SECRET_NAME.search(column.key):
        return "secret"
    return ""


def shown(value: Any, how: str = "") -> Any:
    """The value as the log stores it: JSON, with secrets masked."""
    if value is None:
        return None
    if not how and type(value) in _PLAIN:  # most values: no isinstance chain (a StrEnum is not plain)
        return value
    if how == "secret":
        return HIDDEN
    if how == "last4":
        text = str(value)
        return "••••" + text[-4:] if len(text) > 6 else "••••"
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)
