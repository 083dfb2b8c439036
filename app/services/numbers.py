"""Whole numbers read from what people send (forms, query strings), checked the one way."""

from __future__ import annotations

from typing import overload

# The largest value of a PostgreSQL `integer` column (every id and count in the schema).
MAX_DB_INT = 2**31 - 1


@overload
def small_int(value: object) -> int | None: ...
@overload
def small_int(value: object, *, default: int) -> int: ...
def small_int(value: object, *, default: int | None = None) -> int | None:
    """`value` as an int if it is ASCII digits (an optional leading minus) that fit a database integer;
    otherwise `default`. `str.isdigit()` alone accepts `①` and `²`, which int() then refuses."""
    text = str(value).strip() if value is not None else ""
    digits = text.removeprefix("-")
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 10:
        return default
    number = int(text)
    return number if -MAX_DB_INT <= number <= MAX_DB_INT else default
