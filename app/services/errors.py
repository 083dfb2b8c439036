from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class DomainError(Exception):
    """A rule of the domain said no. The message is written for the person who asked.

    `field`, when set, names the form field the message belongs next to.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def problems(self) -> list[DomainError]:
        """Every problem this refusal carries, each with its own field: here just this one."""
        return [self]


class InvalidInput(DomainError):
    """Every problem with what someone typed, found in one go, so a form can show each next to its field.

    Its own message and field are those of the first problem, for callers that show only one.
    """

    def __init__(self, problems: list[DomainError]) -> None:
        if not problems:
            raise ValueError("InvalidInput needs at least one problem")
        super().__init__(problems[0].message, field=problems[0].field)
        self._problems = list(problems)

    @property
    def problems(self) -> list[DomainError]:
        return list(self._problems)


class Problems:
    """Collects what is wrong with some input, then refuses it all at once.

        problems = Problems()
        if not title:
            problems.add("Please give the event a title.", "title")
        problems.raise_if_any()
    """

    def __init__(self) -> None:
        self._found: list[DomainError] = []

    def add(self, message: str, field: str | None = None) -> None:
        self._found.append(DomainError(message, field=field))

    @contextmanager
    def collecting(self, *, field: str | None = None) -> Iterator[None]:
        """A DomainError raised inside is kept as a problem instead of stopping the checks
        (with `field`, it is shown next to that field whatever field it named)."""
        try:
            yield
        except DomainError as error:
            for problem in error.problems:
                self.add(problem.message, field if field is not None else problem.field)

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __iter__(self) -> Iterator[DomainError]:
        return iter(list(self._found))

    def raise_if_any(self) -> None:
        if self._found:
            raise InvalidInput(list(self._found))


def check_limit(problems: Problems, limit: int | None, *, taken: int, field: str, negative_message: str,
                taken_message: str) -> None:
    """A limit on places (None: no limit) is never negative, nor below the places taken already."""
    if limit is None:
        return
    if limit < 0:
        problems.add(negative_message, field)
    elif limit < taken:
        problems.add(taken_message, field)
