"""Declarative base, constraint naming and the column types shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    SQLite has no time zone type, so values are stored as naive UTC everywhere.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def string_enum(enum_cls: type[enum.Enum], length: int) -> sa.Enum:
    # Stored as plain strings (no native PostgreSQL ENUM): adding a value needs no ALTER TYPE.
    return sa.Enum(enum_cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def stored_value(column: sa.orm.InstrumentedAttribute) -> sa.ColumnElement[str]:
    """A string_enum column as the string it is stored as, under its own name: an export turns it into a label
    itself (looked up by value) instead of having an enum member made for each of 100,000 rows first."""
    return sa.type_coerce(column, sa.String).label(column.key)


def stored_time(column: sa.orm.InstrumentedAttribute) -> sa.ColumnElement[datetime]:
    """A UTCDateTime column as stored, a naive datetime in UTC, under its own name: for an export that moves
    100,000 of them to the venue's clock itself (app/services/spreadsheets.py) without making each aware first."""
    return sa.type_coerce(column, sa.DateTime).label(column.key)
