"""How long a personal link works: the link is a key to someone's data, so it does not work for ever."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.models import Registration


def link_works_until(registration: Registration, issued_at: datetime | None, *, days_after_event: int) -> datetime:
    """`days_after_event` days after the event ends; a link issued later on request (it carries its issue
    time) works as long after it was issued."""
    start = max(registration.event.ends_at, issued_at) if issued_at else registration.event.ends_at
    return start + timedelta(days=days_after_event)


def link_works(registration: Registration, issued_at: datetime | None, *, days_after_event: int,
               now: datetime) -> bool:
    """Not once the registration is anonymised, nor after link_works_until."""
    return not registration.is_anonymised and now < link_works_until(
        registration, issued_at, days_after_event=days_after_event)
