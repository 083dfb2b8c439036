"""Page[T]: a stale or hostile page number still shows a page that exists."""

from __future__ import annotations

import pytest

from app.services.paging import paginate

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


def test_an_empty_list_has_one_empty_page():
    page = paginate(0, 5, 10, lambda limit, offset: [])
    assert (page.page, page.pages, page.items, page.first_number, page.last_number) == (1, 1, [], 0, 0)
