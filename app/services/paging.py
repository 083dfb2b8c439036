"""One page of a long list: which rows, and where they sit in the whole, for every paged list page."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def window(self) -> list[int | None]:
        """The page numbers a pager links: the first, the last and two either side of this one, None for the
        "…" at the third. Worked out from those few numbers: a loop over every page cost more than the rows'
        own rendering at 400 pages."""
        pages, here = self.pages, self.page
        near = range(max(here - 3, 1), min(here + 3, pages) + 1)
        return [number if number in (1, pages) or abs(number - here) <= 2 else None
                for number in sorted({1, pages, *near})]

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1 if self.items else 0


def paginate(total: int, page: int, per_page: int, rows: Callable[[int, int], Iterable[T]]) -> Page[T]:
    """The asked page of `total` rows; `rows(limit, offset)` reads them.

    A page number below 1 shows the first page, and a stale link past the end the last one."""
    page = min(max(page, 1), max(math.ceil(total / per_page), 1))
    return Page(list(rows(per_page, (page - 1) * per_page)), total, page, per_page)


def paginate_counting_if_needed(page: int, per_page: int, rows: Callable[[int, int], Iterable[T]],
                                count: Callable[[], int]) -> Page[T]:
    """paginate() for a list whose total costs a query of its own (a search counts every match): the asked page
    is read first and, when it is neither full nor past the end, says the total itself (the rows before it and
    its own), so `count()` is asked only for a full page or an empty one. The same page as paginate's."""
    page = max(page, 1)
    offset = (page - 1) * per_page
    items = list(rows(per_page, offset))
    if 0 < len(items) < per_page or (page == 1 and not items):
        return Page(items, offset + len(items), page, per_page)
    total = count()
    if not items:  # a stale link past the end: the last page
        return paginate(total, page, per_page, rows)
    # At least what was read (the count is a later statement: rows may have gone since).
    return Page(items, max(total, offset + len(items)), page, per_page)


def paginate_with_total(page: int, per_page: int, rows_and_total: Callable[[int, int], tuple[list[T], int]],
                        count: Callable[[], int]) -> Page[T]:
    """paginate() for a list whose page says the total itself (`rows_and_total(limit, offset)`: the rows, and the
    number of all of them, counted in the same statement). Only a stale link past the end, whose page is empty and
    so says no total, asks `count()`: the last page then. The same page as paginate's."""
    page = max(page, 1)
    items, total = rows_and_total(per_page, (page - 1) * per_page)
    if items or page == 1:
        return Page(items, total, page, per_page)
    return paginate(count(), page, per_page, lambda limit, offset: rows_and_total(limit, offset)[0])
