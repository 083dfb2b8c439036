"""Which subject and body each automatic email uses for an event (its own, its series', or the default),
saving and resetting them, and turning one into the email a person receives.

A text is filled by plain substitution (app.services.placeholders.fill) with one person's values, and its
HTML is made from the filled text by escaping it first (app.services.mail.texts.text_to_html): nothing an
organiser types can reach other data or become markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from app.database import Session, transaction_facts
from app.i18n import current_language
from app.models import EmailText, Event, Registration, Series, SessionChoice, User
from app.models.bilingual import content_language
from app.services.errors import DomainError, InvalidInput
from app.services.mail.email_kinds import KINDS, EmailKind
from app.services.mail.texts import EMAIL_PLACEHOLDERS, email_values, text_to_html
from app.services.placeholders import check_placeholders, fill, used_placeholders

Source = Literal["default", "series", "event"]
Owner = Event | Series

SUBJECT_MAX = 200
# The language of the texts organisers edit and save (an event's own, a series'): the default ones shown to
# them are in it too.
EDITED_LANGUAGE = "en"
BODY_MAX = 20_000
_BODY_MAX_TEXT = f"{BODY_MAX:,}"


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    source: Source  # whose text it is
    # The organisers' Korean, for registrations in Korean; empty: they get the English above.
    subject_ko: str = ""
    body_ko: str = ""

    def in_language(self, language: str) -> tuple[str, str]:
        """(subject, body) to send in `language`: the Korean when it is given, else the English."""
        if language == "ko" and self.subject_ko.strip() and self.body_ko.strip():
            return self.subject_ko, self.body_ko
        return self.subject, self.body

    @classmethod
    def of(cls, row: EmailText, source: Source) -> Text:
        return cls(row.subject, row.body, source, row.subject_ko, row.body_ko)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str  # the whole HTML email, in its frame


def kind_or_none(kind: str) -> EmailKind | None:
    return KINDS.get(kind)


def placeholders_of(kind: str) -> dict[str, str]:
    """Every placeholder the kind's texts may use, with what it stands for."""
    return {**{name: str(what) for name, what in EMAIL_PLACEHOLDERS.items()}, **KINDS[kind].own}


def default_text(kind: str, language: str | None = None) -> Text:
    """The kind's default words in `language`, else in the current one (the person's, when sending)."""
    if language is None:
        return Text(KINDS[kind].subject, KINDS[kind].body, "default")
    with force_locale(language):
        return Text(KINDS[kind].subject, KINDS[kind].body, "default")


def _rows(session: Session, owner: Owner) -> dict[str, EmailText]:
    column = EmailText.event_id if isinstance(owner, Event) else EmailText.series_id
    return {row.kind: row for row in session.scalars(sa.select(EmailText).where(column == owner.id))}


def texts_of(session: Session, owner: Owner) -> dict[str, Text]:
    """Every kind's text as `owner` uses it: an event's own, else its series', else the default. For the
    organisers' editor: the texts they edit are the English ones (EDITED_LANGUAGE), whatever language
    their pages are shown in, so saving never puts Korean where English is sent."""
    own = _rows(session, owner)
    inherited = (_rows(session, owner.series) if isinstance(owner, Event) and owner.series is not None else {})
    texts = {}
    for kind in KINDS:
        if kind in own:
            texts[kind] = Text.of(own[kind], "event" if isinstance(owner, Event) else "series")
        elif kind in inherited:
            texts[kind] = Text.of(inherited[kind], "series")
        else:
            texts[kind] = default_text(kind, EDITED_LANGUAGE)
    return texts


# The events this transaction has seen to have no text of their own nor their series' (see without_own_texts).
_WITHOUT_OWN_TEXTS = "email_texts.without_own_texts"


def own_texts_exist(event_id: sa.SQLColumnExpression[int], series_id: sa.SQLColumnExpression[int | None]) -> sa.Exists:
    """A column for the query that loads an event: whether it or its series has a text of its own."""
    return sa.exists().where(sa.or_(EmailText.event_id == event_id,
                                    sa.and_(series_id.is_not(None), EmailText.series_id == series_id)))


def without_own_texts(session: Session, event_id: int) -> None:
    """Note that the event uses the default texts (read with own_texts_exist): text_for then asks nothing."""
    transaction_facts(session).setdefault(_WITHOUT_OWN_TEXTS, set()).add(event_id)


def text_for(session: Session, event: Event, kind: str) -> Text:
    """The text the event's `kind` emails use (one query, none when without_own_texts said so)."""
    if event.id in transaction_facts(session).get(_WITHOUT_OWN_TEXTS, ()):
        return default_text(kind)
    conditions = [EmailText.event_id == event.id]
    if event.series_id is not None:
        conditions.append(EmailText.series_id == event.series_id)
    rows = list(session.scalars(sa.select(EmailText).where(EmailText.kind == kind, sa.or_(*conditions))))
    own = next((r for r in rows if r.event_id == event.id), None)
    row = own or next(iter(rows), None)
    if row is None:
        return default_text(kind)
    return Text.of(row, "event" if own is not None else "series")


def inherited_text(session: Session, owner: Owner, kind: str) -> Text:
    """What `owner` falls back to without a text of its own: its series' text, or the default."""
    if isinstance(owner, Event) and owner.series_id is not None:
        row = session.scalar(sa.select(EmailText).where(EmailText.series_id == owner.series_id,
                                                        EmailText.kind == kind))
        if row is not None:
            return Text.of(row, "series")
    return default_text(kind, EDITED_LANGUAGE)


def check_text(kind: str, subject: str, body: str, subject_ko: str = "", body_ko: str = "") -> None:
    """Refuse a subject or body that cannot be sent as it is, each problem next to its field."""
    allowed = placeholders_of(kind)
    problems: list[DomainError] = []
    if not subject.strip():
        problems.append(DomainError(_("Please write a subject."), field="subject"))
    elif "\n" in subject or "\r" in subject:
        problems.append(DomainError(_("The subject is one line."), field="subject"))
    elif len(subject) > SUBJECT_MAX:
        problems.append(DomainError(_("The subject is at most %(max)d characters.", max=SUBJECT_MAX), field="subject"))
    else:
        try:
            check_placeholders(subject, allowed, field="subject")
        except DomainError as error:
            problems.append(error)
    if not body.strip():
        problems.append(DomainError(_("Please write the text of the email."), field="body"))
    elif len(body) > BODY_MAX:
        problems.append(DomainError(_("The text is at most %(max)s characters.", max=_BODY_MAX_TEXT), field="body"))
    else:
        try:
            check_placeholders(body, allowed, field="body", required=KINDS[kind].required)
        except DomainError as error:
            problems.append(error)
    problems += _korean_problems(kind, subject, body, subject_ko, body_ko)
    if problems:
        raise InvalidInput(problems)


def _korean_problems(kind: str, subject: str, body: str, subject_ko: str, body_ko: str) -> list[DomainError]:
    """The Korean is optional, but whole (a subject and a text) and with the English's placeholders: a Korean
    email must tell the person everything the English one does (their link, their reference...)."""
    if not subject_ko.strip() and not body_ko.strip():
        return []
    problems: list[DomainError] = []
    allowed = placeholders_of(kind)
    for field, english, korean in (("subject_ko", subject, subject_ko), ("body_ko", body, body_ko)):
        if not korean.strip():
            problems.append(DomainError(
                _("Please write the Korean subject too, or leave both Korean fields empty.") if field == "subject_ko"
                else _("Please write the Korean text too, or leave both Korean fields empty."), field=field))
            continue
        if field == "subject_ko" and ("\n" in korean or "\r" in korean):
            problems.append(DomainError(_("The subject is one line."), field=field))
            continue
        limit = SUBJECT_MAX if field == "subject_ko" else BODY_MAX
        if len(korean) > limit:
            problems.append(DomainError(_("The Korean is at most %(limit)s characters.", limit=f"{limit:,}"),
                                        field=field))
            continue
        try:
            check_placeholders(korean, allowed, field=field)
        except DomainError as error:
            problems.append(error)
            continue
        missing = sorted(used_placeholders(english) - used_placeholders(korean))
        extra = sorted(used_placeholders(korean) - used_placeholders(english))
        if missing:
            problems.append(DomainError(
                _("The Korean leaves out %(names)s, which the English uses: please add it.",
                  names=", ".join("{" + name + "}" for name in missing)), field=field))
        elif extra:
            problems.append(DomainError(
                _("The Korean uses %(names)s, which the English does not: please use the same placeholders in both.",
                  names=", ".join("{" + name + "}" for name in extra)), field=field))
    return problems


def save_text(session: Session, owner: Owner, kind: str, subject: str, body: str, *, actor: User,
              now: datetime, subject_ko: str = "", body_ko: str = "") -> None:
    """`owner`'s own text for `kind`, checked (each problem next to its field, nothing saved)."""
    if kind not in KINDS:
        raise DomainError(_("There is no such email."))
    body = body.replace("\r\n", "\n")
    body_ko = body_ko.replace("\r\n", "\n")
    check_text(kind, subject, body, subject_ko, body_ko)
    row = _rows(session, owner).get(kind)
    if row is None:
        row = EmailText(kind=kind, **({"event_id": owner.id} if isinstance(owner, Event) else {"series_id": owner.id}))
        session.add(row)
    row.subject, row.body, row.updated_by_id, row.updated_at = subject.strip(), body, actor.id, now
    row.subject_ko, row.body_ko = subject_ko.strip(), body_ko if body_ko.strip() else ""


def reset_text(session: Session, owner: Owner, kind: str) -> bool:
    """Back to the series' text or the default; False when `owner` had no text of its own."""
    row = _rows(session, owner).get(kind)
    if row is None:
        return False
    session.delete(row)
    return True


# --- one person's email ---------------------------------------------------------------------

def values_for(registration: Registration, kind: str, *, link: str, event_link: str,
               choices: Iterable[SessionChoice] = (), extra: Mapping[str, Any] | None = None) -> dict[str, str]:
    values = email_values(registration, link=link, event_link=event_link, choices=choices)
    travel = registration.travel_support
    if values["travel_support"] and travel is not None and travel.note:
        values["travel_support"] += "\n" + _("Note from the organisers: %(note)s", note=travel.note)
    values.update(KINDS[kind].values(registration, extra or {}))
    return values


_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def fill_text(text: str, values: Mapping[str, str]) -> str:
    """The text filled for one person. A line of placeholders only that comes out empty is left out, and so
    is a heading whose placeholders are all empty (“Your sessions:” for someone without sessions)."""
    paragraphs = []
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        lines = paragraph.split("\n")
        names = used_placeholders(paragraph)
        only_placeholders = [line for line in lines if _only_placeholders(line)]
        if names and not any(values.get(name) for name in names) and only_placeholders \
                and len(lines) - len(only_placeholders) <= 1:
            continue  # a heading and its empty list
        paragraphs.append("\n".join(fill(line, values) for line in lines
                                    if not (_only_placeholders(line) and not fill(line, values).strip())))
    return _MANY_BLANK_LINES.sub("\n\n", "\n\n".join(paragraphs)).strip("\n") + "\n"


def _only_placeholders(line: str) -> bool:
    names = used_placeholders(line)
    return bool(names) and not fill(line, {name: "" for name in names}).strip()


def render(event: Event, text: Text, values: Mapping[str, str]) -> Rendered:
    """The email as the person receives it, in the language being rendered (the registration's, see
    notifications): subject on one line, the text, and the HTML made from the text."""
    subject_text, body_text = text.in_language(content_language())
    subject = " ".join(fill(subject_text, values).split())
    body = fill_text(body_text, values)
    return Rendered(subject, body, html_email(event, text_to_html(body)))


def html_email(event: Event, body: Markup) -> str:
    return render_template("email/_layout.html", event=event, body=body, lang=current_language())
