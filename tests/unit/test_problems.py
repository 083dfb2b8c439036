"""The shared "collect every problem, then refuse" helper and the errors it raises."""

from __future__ import annotations

import pytest

from app.services.errors import DomainError, InvalidInput, Problems, check_limit


def test_nothing_found_raises_nothing():
    problems = Problems()
    assert not problems
    assert len(problems) == 0
    problems.raise_if_any()


def test_every_problem_is_raised_at_once_in_the_order_found():
    problems = Problems()
    problems.add("Please give the event a title.", "title")
    problems.add("Something is wrong with the form.")
    problems.add("Use 2 to 12 capital letters or digits, e.g. DGIF26.", "code")
    assert problems and len(problems) == 3

    with pytest.raises(InvalidInput) as raised:
        problems.raise_if_any()

    error = raised.value
    assert isinstance(error, DomainError)
    assert [(p.message, p.field) for p in error.problems] == [
        ("Please give the event a title.", "title"),
        ("Something is wrong with the form.", None),
        ("Use 2 to 12 capital letters or digits, e.g. DGIF26.", "code"),
    ]
    # Callers that show a single message show the first problem, next to its field.
    assert (error.message, error.field, str(error)) == (
        "Please give the event a title.", "title", "Please give the event a title.")


def test_a_plain_domain_error_is_its_own_single_problem():
    error = DomainError("This event is over.", field="starts_at")
    assert error.problems == [error]


def test_the_raised_problems_do_not_change_when_more_are_collected():
    problems = Problems()
    problems.add("first", "a")
    with pytest.raises(InvalidInput) as raised:
        problems.raise_if_any()
    problems.add("second", "b")
    raised.value.problems.append(DomainError("third"))
    assert [p.message for p in raised.value.problems] == ["first"]


def test_collecting_keeps_a_refusal_as_a_problem_and_goes_on():
    problems = Problems()
    with problems.collecting():
        raise DomainError("Please choose a PDF file.", field="upload")
    with problems.collecting(field="signature"):
        raise DomainError("This file is not an image.", field="ignored")
    with problems.collecting():
        pass
    assert [(p.message, p.field) for p in problems] == [
        ("Please choose a PDF file.", "upload"),
        ("This file is not an image.", "signature"),
    ]


def test_collecting_takes_in_every_problem_of_an_invalid_input():
    inner = Problems()
    inner.add("one", "a")
    inner.add("two", "b")
    problems = Problems()
    with problems.collecting():
        inner.raise_if_any()
    assert [(p.message, p.field) for p in problems] == [("one", "a"), ("two", "b")]


def test_collecting_lets_other_errors_through():
    problems = Problems()
    with pytest.raises(LookupError), problems.collecting():
        raise LookupError("series 7 does not exist")
    assert not problems


def test_invalid_input_needs_a_problem():
    with pytest.raises(ValueError):
        InvalidInput([])


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (None, []),
        (3, []),
        (2, []),
        (-1, [("capacity", "The capacity cannot be negative. Leave it empty for no limit.")]),
        (1, [("capacity", "2 people are confirmed already.")]),
    ],
)
def test_a_limit_is_neither_negative_nor_below_what_is_taken(limit, expected):
    problems = Problems()
    check_limit(problems, limit, taken=2, field="capacity",
                negative_message="The capacity cannot be negative. Leave it empty for no limit.",
                taken_message="2 people are confirmed already.")
    assert [(p.field, p.message) for p in problems] == expected
