"""What a part of the registration form is: see app/public/form_parts.py for the list of parts."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from typing import ClassVar

from app.database import Session
from app.models import Event, Registration
from app.public.forms import RegistrationForm


class FormPart:
    """One event-dependent piece of the registration form, made for one request by `for_event`.

    Its fields go on a form class shared by every request (of any event) whose parts have the same
    `shape`, so `add_fields` builds them from the shape alone: nothing it adds may hold the event,
    a row loaded in one request or anything else that differs while the shape is the same. What a
    request read (the event's questions, say) goes on the form object, in `bind`; a validator that
    needs the event reads `form.event`.
    """

    # Rendered inside the form, before the consent box, with `form`, `event`, `seats` and `part`.
    template: ClassVar[str]

    @classmethod
    def for_event(cls, session: Session, event: Event) -> FormPart | None:
        """This part for `event`, or None when the event has nothing for it."""
        raise NotImplementedError

    @property
    def shape(self) -> Hashable:
        """Everything `add_fields` needs, as plain hashable values."""
        return ()

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape) -> None:
        raise NotImplementedError

    def cache_key(self, seats) -> Hashable:
        """What this part's HTML on a fresh form is made of (app/public/form_cache.py): its shape, unless the
        template shows more. `seats`: the seats left per programme session, as the page shows them."""
        return self.shape

    def bind(self, form: RegistrationForm) -> None:
        """Give the form object what this request read for the part."""

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        """Save what was answered, at the `now` register() was given. May raise DomainError (shown above
        the form; nothing is saved)."""
        raise NotImplementedError

    def show_again(self, form: RegistrationForm) -> None:
        """The sent form is shown again (another field had an error): keep what the browser cannot send
        again by itself, such as a chosen file."""
