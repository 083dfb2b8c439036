"""small_int: numbers read by hand from forms and query strings, as the database can hold them."""

from __future__ import annotations

import pytest

from app.services.numbers import MAX_DB_INT, small_int


@pytest.mark.parametrize("typed, read", [("7", 7), (" 12 ", 12), ("-3", -3), (str(MAX_DB_INT), MAX_DB_INT), (5, 5)])
def test_ascii_numbers_the_database_holds_are_read(typed, read):
    assert small_int(typed) == read


@pytest.mark.parametrize("typed", ["①", "²", "٣", "１２", str(MAX_DB_INT + 1), "9" * 40, "", "-", "1e9", "0x10",
                                   "1\x00", None, "½"])
def test_anything_else_is_the_default(typed):
    assert "①".isdigit() and "²".isdigit()  # what str.isdigit() alone would have let through to int()
    assert small_int(typed) is None
    assert small_int(typed, default=1) == 1
