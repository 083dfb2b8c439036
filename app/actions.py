"""One user action, one transaction: the shape of every POST view that calls a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash

from app.extensions import db
from app.services.errors import DomainError

T = TypeVar("T")


@dataclass(frozen=True)
class Done(Generic[T]):
    """The action went through; `value` is what it returned (read before the commit expired it)."""

    value: T


def commit_unless_refused(action: Callable[[], T]) -> Done[T] | DomainError:
    """Run the action and commit; if the domain says no, roll back and hand back its refusal."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        return error
    db.session.commit()
    return Done(result)


def commit_or_flash(action: Callable[[], T]) -> Done[T] | None:
    """Run the action and commit; if the domain says no, roll back, show its message and return None."""
    outcome = commit_unless_refused(action)
    if isinstance(outcome, DomainError):
        flash(outcome.message, "error")
        return None
    return outcome


def flash_if_refused(action: Callable[[], T]) -> Done[T] | None:
    """A step that changes nothing (a preview, a plan): no commit, but a refusal is shown as commit_or_flash does."""
    try:
        return Done(action())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None


def show_problems(form, error: DomainError) -> None:
    """Each message next to its field; a message for no field goes above the form."""
    for problem in error.problems:
        target = form._fields.get(problem.field) if problem.field else None
        if target is None:
            form.form_errors.append(problem.message)
        else:
            target.errors.append(problem.message)


def commit_or_show(form, action: Callable[[], T]) -> Done[T] | None:
    """commit_or_flash for a form page: the domain's refusals go next to the fields they concern."""
    outcome = commit_unless_refused(action)
    if isinstance(outcome, DomainError):
        show_problems(form, outcome)
        return None
    return outcome
