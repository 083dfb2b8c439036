"""One user action, one transaction: the shape of every POST view that calls a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from app.extensions import db
from app.services.errors import DomainError

T = TypeVar("T")


def commit_or_flash(action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run the action and commit; if the domain says no, roll back and show its message.

    Returns (True, result) on success and (False, None) when nothing was changed.
    """
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False, None
    db.session.commit()
    return True, result


def show_problems(form, error: DomainError) -> None:
    """Each message next to its field; a message for no field goes above the form."""
    for problem in error.problems:
        target = form._fields.get(problem.field) if problem.field else None
        if target is None:
            form.form_errors.append(problem.message)
        else:
            target.errors.append(problem.message)


def commit_or_show(form, action: Callable[[], T]) -> tuple[bool, T | None]:
    """commit_or_flash for a form page: the domain's refusals go next to the fields they concern."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_problems(form, error)
        return False, None
    db.session.commit()
    return True, result
