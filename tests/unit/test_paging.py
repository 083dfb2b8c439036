"""Page[T]: a stale or hostile page number still shows a page that exists."""

from __future__ import annotations

import pytest

from app.services.paging import paginate, paginate_counting_if_needed, paginate_with_total

ROWS = list(range(1, 26))  # 25 rows, 10 a page: pages 1-3


def _read(limit: int, offset: int) -> list[int]:
    return ROWS[offset:offset + limit]


@pytest.mark.parametrize(("asked", "shown", "items"), [
    (1, 1, ROWS[:10]), (3, 3, ROWS[20:]), (0, 1, ROWS[:10]), (-4, 1, ROWS[:10]), (99, 3, ROWS[20:]),
])
def test_a_page_number_is_kept_within_the_list(asked, shown, items):
    page = paginate(len(ROWS), asked, 10, _read)
    assert (page.page, page.pages, page.items) == (shown, 3, items)
    assert (page.first_number, page.last_number) == (items[0], items[-1])


@pytest.mark.parametrize(("rows", "asked"), [
    (ROWS, 1), (ROWS, 2), (ROWS, 3), (ROWS, 0), (ROWS, -4), (ROWS, 99), (ROWS[:20], 2), (ROWS[:20], 3),
    (ROWS[:7], 1), (ROWS[:7], 5), ([], 1), ([], 4),
])
def test_a_list_counted_if_needed_shows_the_page_paginate_shows(rows, asked):
    """The same page, total and numbers as paginate's; the count asked only for a full or an empty page."""
    counted = []

    def count() -> int:
        counted.append(True)
        return len(rows)

    page = paginate_counting_if_needed(asked, 10, lambda limit, offset: rows[offset:offset + limit], count)
    expected = paginate(len(rows), asked, 10, lambda limit, offset: rows[offset:offset + limit])
    assert page == expected
    shown = rows[(max(asked, 1) - 1) * 10:][:10]
    assert bool(counted) == (len(shown) == 10 or (not shown and asked > 1))


@pytest.mark.parametrize(("rows", "asked"), [
    (ROWS, 1), (ROWS, 3), (ROWS, 0), (ROWS, -4), (ROWS, 99), (ROWS[:7], 1), (ROWS[:7], 5), ([], 1), ([], 4),
])
def test_a_list_whose_page_says_its_total_shows_the_page_paginate_shows(rows, asked):
    """The same page, total and numbers as paginate's; the count asked only for an empty page past the first."""
    counted = []

    def count() -> int:
        counted.append(True)
        return len(rows)

    def rows_and_total(limit: int, offset: int) -> tuple[list[int], int]:
        page = rows[offset:offset + limit]
        return page, len(rows) if page else 0  # counted with the rows: no rows, no total

    page = paginate_with_total(asked, 10, rows_and_total, count)
    assert page == paginate(len(rows), asked, 10, lambda limit, offset: rows[offset:offset + limit])
    assert bool(counted) == (asked > 1 and not rows[(asked - 1) * 10:])


def test_an_empty_list_has_one_empty_page():
    page = paginate(0, 5, 10, lambda limit, offset: [])
    assert (page.page, page.pages, page.items, page.first_number, page.last_number) == (1, 1, [], 0, 0)


@pytest.mark.parametrize(("page_number", "window"), [
    (1, [1, 2, 3, None, 400]),
    (4, [1, 2, 3, 4, 5, 6, None, 400]),
    (5, [1, None, 3, 4, 5, 6, 7, None, 400]),
    (200, [1, None, 198, 199, 200, 201, 202, None, 400]),
    (400, [1, None, 398, 399, 400]),
])
def test_the_pager_shows_the_ends_and_two_pages_either_side(page_number, window):
    """None is the "…" at the third page away; pages further off are not looked at (400 pages here)."""
    page = paginate(400 * 50, page_number, 50, lambda limit, offset: [])
    assert page.window == window


def test_a_short_list_shows_every_page():
    assert paginate(25, 2, 10, _read).window == [1, 2, 3]
