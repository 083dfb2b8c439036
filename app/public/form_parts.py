"""The registration form of one event: the built-in fields plus the parts that depend on it.

A part (programme sessions, the event's own questions, the visa letter request...) adds its
fields to the event's form class, names the template that shows them inside the form, and
saves its answers once the registration exists - in the same transaction, before the
confirmation email is written, so that the email can mention them.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import lazyload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from app.database import Session, transaction_facts
from app.models import Event, ProgrammeSession, Question, Registration
from app.public.forms import RegistrationForm
from app.public.parts.base import FormPart
from app.public.parts.gender import GenderPart
from app.public.parts.questions import QuestionsPart
from app.public.parts.sessions import SessionsPart
from app.public.parts.travel import TravelPart
from app.public.parts.visa import VisaPart
from app.services.mail import email_texts
from app.services.registration.locking import confirmed_count_query

# Every part, in its place on the form (and the order their answers are saved in). The visa details
# come straight after their tick box, the last box of the built-in fields; then the optional gender question;
# then what people come for.
PARTS: tuple[type[FormPart], ...] = (VisaPart, GenderPart, SessionsPart, QuestionsPart, TravelPart)

# Form classes by the shapes of their parts: one per distinct form, so that showing or sending a form
# builds its fields once, not on every request. Bounded, as edited questions leave old shapes behind.
FORM_CLASSES_KEPT = 256


# transaction_facts key: {event id: the parts known to have nothing for it} (see public_event_for_form).
_ABSENT_PARTS = "form_parts.absent"


class EventForForm(NamedTuple):
    event: Event
    confirmed: int  # places taken when the page was read: what the page shows (register() counts again)


def public_event_for_form(session: Session, slug: str, *, registering: bool = False) -> EventForForm | None:
    """The public event `slug`, read with what its page, its form and its email need to know up front: the
    places taken, and whether it has a programme, questions of its own and email texts of its own. The form
    and the confirmation email then ask nothing more for what it does not have.

    `registering` (a POST): only the event's columns a registration reads before the event is locked, which
    reads it whole again. A form shown again afterwards (with its errors, or refused) needs event_in_full."""
    row = session.execute(_EVENT_TO_REGISTER if registering else _EVENT_FOR_FORM, {"slug": slug}).first()
    if row is None:
        return None
    event, confirmed, has_programme, has_questions, has_own_texts = row
    absent: set[type[FormPart]] = set()
    if not has_programme:
        set_committed_value(event, "programme", [])  # loaded, and empty: no lazy load later
        absent.add(SessionsPart)
    if not has_questions:
        absent.add(QuestionsPart)
    transaction_facts(session).setdefault(_ABSENT_PARTS, {})[event.id] = absent
    if not has_own_texts:
        email_texts.without_own_texts(session, event.id)
    return EventForForm(event, confirmed or 0)


# Built once, with the slug as a parameter: every view of the page and every registration reads it, and
# building the statement (its count and three EXISTS) cost about as much CPU as running it.
_EVENT_FOR_FORM = sa.select(
    Event,
    confirmed_count_query(Event.id).scalar_subquery(),
    sa.exists().where(ProgrammeSession.event_id == Event.id),
    sa.exists().where(Question.event_id == Event.id, Question.archived_at.is_(None)),
    email_texts.own_texts_exist(Event.id, Event.series_id),
).where(Event.slug == sa.bindparam("slug"), Event.is_public)


class FormMade(NamedTuple):
    """What `event`'s form is made of: its class (one per shape of its parts) and the parts themselves."""

    form_class: type[RegistrationForm]
    parts: list[FormPart]


def form_made_for(session: Session, event: Event) -> FormMade:
    """The form class and parts of `event`'s form, without the form object: a first visit's page, whose form
    HTML is kept (form_cache.py), needs no more."""
    absent = transaction_facts(session).get(_ABSENT_PARTS, {}).get(event.id, set())
    parts = [part for part in (part_class.for_event(session, event) for part_class in PARTS
                               if part_class not in absent) if part is not None]
    return FormMade(_form_class(tuple((type(part), part.shape) for part in parts)), parts)


# A registration reads the event before locking it for: its reference's prefix (code), what decides whether it
# is accepted (availability(): capacity, status, dates, waiting list, mode), the email's sender (contact_email),
# the form's parts and checks (asks_gender, the visa dates in the event's time zone) and whether the organisers
# want an email per registration (organiser_alerts). Reading the other 40
# columns, and the series, cost more CPU than the rest of the statement; the lock reads them all. A column read
# beyond these is still right: one more query.
_EVENT_TO_REGISTER = _EVENT_FOR_FORM.options(
    lazyload(Event.series),
    load_only(Event.code, Event.registration_mode, Event.capacity, Event.status, Event.registration_opens_at,
              Event.registration_closes_at, Event.starts_at, Event.ends_at, Event.timezone,
              Event.waiting_list_enabled, Event.contact_email, Event.asks_gender, Event.series_id,
              Event.organiser_alerts),
)


def event_in_full(session: Session, event: Event) -> None:
    """The columns public_event_for_form(registering=True) did not read, read together at the next use of any
    (one query, rather than one per column): for the page that shows the form again."""
    unloaded = sa.inspect(event).unloaded
    columns = [column.key for column in sa.inspect(Event).column_attrs if column.key in unloaded]
    if columns:  # expire() with no names would expire the relationships read too
        session.expire(event, columns)


def registration_form_for(session: Session, event: Event, made: FormMade | None = None) -> RegistrationForm:
    """The form to show or validate for `event`, with the parts that apply to it (`made`: form_made_for's)."""
    form_class, parts = made or form_made_for(session, event)
    form = form_class()
    form.parts = parts
    form.event = event
    for part in parts:
        part.bind(form)
    return form


@lru_cache(maxsize=FORM_CLASSES_KEPT)
def _form_class(shapes: tuple[tuple[type[FormPart], Hashable], ...]) -> type[RegistrationForm]:
    form_class = type("EventRegistrationForm", (RegistrationForm,), {})
    for part_class, shape in shapes:
        part_class.add_fields(form_class, shape)
    return form_class


def save_parts(session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
    for part in form.parts:
        part.save(session, registration, form, now=now)


def prepare_to_show_again(form: RegistrationForm) -> None:
    """A sent form goes back to the person with its errors: each part keeps what it needs to."""
    for part in form.parts:
        part.show_again(form)
