"""The registration form of one event: the built-in fields plus the parts that depend on it.

A part (programme sessions, the event's own questions, the visa letter request...) adds its
fields to a form class made for the event, names the template that shows them inside the
form, and saves its answers once the registration exists - in the same transaction, before
the confirmation email is written, so that the email can mention them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.database import Session
from app.models import Event, Registration
from app.public.forms import RegistrationForm


@dataclass(frozen=True)
class FormPart:
    name: str
    template: str  # rendered inside the form, before the consent box, with `form` and `event`
    # Adds fields to the event's form class; returns False when the event has nothing for this part.
    add_fields: Callable[[type[RegistrationForm], Event], bool]
    # Saves what was answered. May raise DomainError (shown above the form; nothing is saved).
    save: Callable[[Session, Registration, RegistrationForm, Event], None]
    order: int = 100  # place on the form, smaller first; equal orders keep the order of registration
    # Called when a sent form is shown again (another field had an error): keep what the browser cannot
    # send again by itself, such as a chosen file.
    show_again: Callable[[RegistrationForm], None] | None = None


PARTS: list[FormPart] = []


def register_part(part: FormPart) -> None:
    PARTS.append(part)
    PARTS.sort(key=lambda p: p.order)


def registration_form_for(event: Event) -> RegistrationForm:
    """The form to show or validate for `event`; plain RegistrationForm when no part applies."""
    form_class = type("EventRegistrationForm", (RegistrationForm,), {})
    parts = [part for part in PARTS if part.add_fields(form_class, event)]
    form = (form_class if parts else RegistrationForm)()
    form.parts = parts
    form.event = event
    return form


def save_parts(session: Session, registration: Registration, form: RegistrationForm, event: Event) -> None:
    for part in getattr(form, "parts", []):
        part.save(session, registration, form, event)


def prepare_to_show_again(form: RegistrationForm) -> None:
    """A sent form goes back to the person with its errors: each part keeps what it needs to."""
    for part in getattr(form, "parts", []):
        if part.show_again is not None:
            part.show_again(form)
