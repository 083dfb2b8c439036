"""Programme sessions: choosing them, their seats and waiting lists. Callers commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from app.models import Registration


def release_choices(session: Session, registration: Registration, *, now: datetime) -> None:
    """A registration is cancelled: its session seats go to the next in each waiting list."""


def seat_waiting_choices(session: Session, registrations: Iterable[Registration], *, now: datetime) -> None:
    """Newly confirmed registrations take the seats they chose, where seats are free."""
