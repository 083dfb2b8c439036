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
