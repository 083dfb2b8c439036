"""Answers to an event's questions: checked by type like the built-in fields, saved, shown.

`clean` is the one place that decides what an answer means and whether it is acceptable; the
registration form and the participant's edit page show its messages next to their fields.
A question hidden by its condition is neither required nor saved.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _

from app.database import Session
from app.models import Answer, Question, QuestionKind, Registration, RegistrationStatus, Upload
from app.models.bilingual import content_language
from app.services.countries import COUNTRY_CODES, country_name
from app.services.errors import DomainError
from app.services.questions import uploads
from app.services.registration import fresh

MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 5000


@dataclass
class CleanedAnswers:
    values: dict[int, Any] = field(default_factory=dict)  # question id -> typed value (files: CheckedFile)
    hidden: set[int] = field(default_factory=set)  # hidden by their condition: not saved
    errors: dict[int, str] = field(default_factory=dict)


def clean(questions: list[Question], raw: Mapping[int, Any], *, max_upload_bytes: int,
          kept_files: Iterable[int] = ()) -> CleanedAnswers:
    """Check every answer. `raw` maps question ids to what the form sent: text, a list of texts
    (multiple choice), or a file object with .filename and .stream. `kept_files`: file questions
    already answered earlier, whose file stays when no new one is sent."""
    result = CleanedAnswers()
    kept = set(kept_files)
    for question in questions:  # in form order: a condition is always decided before its follow-ups
        if not _shown(question, result):
            result.hidden.add(question.id)
            continue
        try:
            value = _parse(question, raw.get(question.id), max_upload_bytes)
        except DomainError as error:
            result.errors[question.id] = error.message
            continue
        if value is None:
            if question.required and not (question.kind is QuestionKind.FILE and question.id in kept):
                result.errors[question.id] = _missing_message(question)
            continue
        result.values[question.id] = value
    return result


def _shown(question: Question, cleaned: CleanedAnswers) -> bool:
    if question.condition_question_id is None:
        return True
    target = question.condition_question_id
    if target in cleaned.hidden:
        return False
    value = cleaned.values.get(target)
    expected: Any = question.condition_value
    if isinstance(value, bool):
        expected = question.condition_value == "yes"
    return value is not None and value == expected


def _missing_message(question: Question) -> str:
    return {
        QuestionKind.SINGLE_CHOICE: _("Please choose one answer."),
        QuestionKind.MULTIPLE_CHOICE: _("Please choose at least one answer."),
        QuestionKind.YES_NO: _("Please answer yes or no."),
        QuestionKind.COUNTRY: _("Please choose a country."),
        QuestionKind.FILE: _("Please choose a PDF file to send."),
        QuestionKind.DATE: _("Please enter a date."),
        QuestionKind.NUMBER: _("Please enter a number."),
    }.get(question.kind) or _("Please answer this question.")


def _parse(question: Question, raw: Any, max_upload_bytes: int) -> Any:
    """The typed value, None when left empty; DomainError when it cannot be accepted."""
    kind = question.kind
    if kind is QuestionKind.FILE:
        if raw is None or not getattr(raw, "filename", ""):
            return None
        return uploads.check_pdf(raw.filename, raw.stream, max_bytes=max_upload_bytes)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return _choices(question, raw)
    text = (raw or "").strip() if isinstance(raw, str) else ""
    if not text:
        return None
    parse_text = _TEXT_PARSERS.get(kind)
    if parse_text is None:
        raise AssertionError(kind)
    return parse_text(question, text)


def _choices(question: Question, raw: Any) -> list[str] | None:
    chosen = [v for v in (raw or []) if v]
    unknown = [v for v in chosen if v not in question.options]
    if unknown:
        raise DomainError(_("Please choose among the answers listed."))
    return [o for o in question.options if o in chosen] or None  # in the organiser's order, no repeats


def _short_text(question: Question, text: str) -> str:
    if len(text) > MAX_SHORT_TEXT:
        raise DomainError(_("Please keep this answer under %(max)s characters.", max=MAX_SHORT_TEXT))
    return text


def _long_text(question: Question, text: str) -> str:
    if len(text) > MAX_LONG_TEXT:
        raise DomainError(_("Please keep this answer under %(max)s characters (it has %(length)s).",
                            max=MAX_LONG_TEXT, length=len(text)))
    return text


def _single_choice(question: Question, text: str) -> str:
    if text not in question.options:
        raise DomainError(_("Please choose one of the answers listed."))
    return text


def _yes_no(question: Question, text: str) -> bool:
    if text not in ("yes", "no"):
        raise DomainError(_("Please answer yes or no."))
    return text == "yes"


def _date(question: Question, text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise DomainError(_("Write the date as YYYY-MM-DD (year-month-day), e.g. 2026-11-03.")) from None


def _country(question: Question, text: str) -> str:
    if text not in COUNTRY_CODES:
        raise DomainError(_("Please choose a country from the list."))
    return text


def _number(question: Question, text: str) -> int | float:
    try:
        number = Decimal(text.replace(" ", "").replace(",", ""))
    except InvalidOperation:
        raise DomainError(_("Enter a number using digits only, e.g. 1500 or 2.5.")) from None
    if not number.is_finite() or abs(number) > Decimal(10) ** 12:
        raise DomainError(_("Enter a number using digits only, e.g. 1500 or 2.5."))
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    low, high = question.min_value, question.max_value
    if low is not None and value < low or high is not None and value > high:
        raise DomainError(_range_message(low, high))
    return value


def _range_message(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return _("Enter a number between %(low)s and %(high)s.", low=format_number(low), high=format_number(high))
    if low is not None:
        return _("Enter a number of at least %(low)s.", low=format_number(low))
    return _("Enter a number of at most %(high)s.", high=format_number(high))


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# The kinds answered in text, each with its own check; a blank answer never gets here.
_TEXT_PARSERS: dict[QuestionKind, Callable[[Question, str], Any]] = {
    QuestionKind.SHORT_TEXT: _short_text,
    QuestionKind.LONG_TEXT: _long_text,
    QuestionKind.SINGLE_CHOICE: _single_choice,
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.NUMBER: _number,
    QuestionKind.DATE: _date,
    QuestionKind.COUNTRY: _country,
}


# --- saving ------------------------------------------------------------------------------

def save(session: Session, registration: Registration, questions: list[Question], cleaned: CleanedAnswers,
         *, upload_folder: str, now: datetime, upload_quota: int | None = None) -> None:
    """Store the cleaned answers of a registration, replacing what it had answered before.

    A question left empty or now hidden loses its earlier answer; a file question with no new
    file keeps its file unless the question is now hidden.
    """
    if cleaned.errors:
        raise DomainError(_("Some answers need correcting."))
    if fresh.is_fresh(session, registration.id):
        _save_first(session, registration, questions, cleaned, upload_folder=upload_folder, now=now,
                    upload_quota=upload_quota)
        return
    existing = {a.question_id: a for a in session.scalars(
        sa.select(Answer).where(Answer.registration_id == registration.id,
                                Answer.question_id.in_([q.id for q in questions])))}
    files = uploads.uploads_of(session, registration.id)
    for question in questions:
        answer = existing.get(question.id)
        value = cleaned.values.get(question.id)
        if question.kind is QuestionKind.FILE:
            if value is None and question.id not in cleaned.hidden:
                continue  # nothing new sent: the earlier file stays
            if answer is not None:
                upload_id = (answer.value or {}).get("upload_id")
                old = files.get(upload_id) if upload_id is not None else None
                if old is not None:
                    uploads.discard(session, upload_folder, old)
            if value is not None:
                upload = uploads.store(session, upload_folder, registration, question, value, now=now,
                                       quota_bytes=upload_quota)
                value = {"upload_id": upload.id, "filename": upload.original_filename, "size": upload.size}
        if value is None:
            if answer is not None:
                session.delete(answer)
            continue
        if answer is None:
            answer = Answer(registration_id=registration.id, question_id=question.id)
            session.add(answer)
        answer.value = value
        answer.question_label = question.label
        answer.answered_at = now
    session.flush()


def _save_first(session: Session, registration: Registration, questions: list[Question], cleaned: CleanedAnswers,
                *, upload_folder: str, now: datetime, upload_quota: int | None) -> None:
    """save() for a registration made just now: nothing answered before to read or replace, and nothing reads
    the answers back in this transaction, so they are written by one plain INSERT (no unit of work)."""
    rows = []
    for question in questions:
        value = cleaned.values.get(question.id)
        if value is None:
            continue
        if question.kind is QuestionKind.FILE:
            upload = uploads.store(session, upload_folder, registration, question, value, now=now,
                                   quota_bytes=upload_quota)
            value = {"upload_id": upload.id, "filename": upload.original_filename, "size": upload.size}
        rows.append({"registration_id": registration.id, "question_id": question.id, "value": value,
                     "question_label": question.label, "answered_at": now})
    if rows:
        session.execute(_INSERT_ANSWERS, rows)


_INSERT_ANSWERS = sa.insert(cast(sa.Table, Answer.__table__))


# --- reading -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ShownAnswer:
    label: str  # as asked when answered
    text: str
    question: Question
    upload_id: int | None = None
    relabelled: bool = False  # the question has been reworded since
    value: Any = None

    @property
    def removed(self) -> bool:
        return self.question.is_archived

    @property
    def shown_label(self) -> str:
        """For the participant, in the page's language: the Korean question where the organisers gave one,
        else the words they were asked in."""
        korean = self.question.label_ko.strip()
        return korean if korean and content_language() == "ko" else self.label

    @property
    def shown_text(self) -> str:
        """The answer in the page's language: a choice under its Korean label where one is given."""
        if not self.question.kind.has_options or content_language() == "en":
            return self.text
        labels = dict(self.question.option_choices)
        chosen = self.value if isinstance(self.value, list) else [self.value]
        return "; ".join(labels.get(str(option), str(option)) for option in chosen)


def answers_of(session: Session, registration_id: int) -> list[ShownAnswer]:
    """The registration's answers in form order, removed questions last."""
    answers = session.scalars(sa.select(Answer).where(Answer.registration_id == registration_id))
    ordered = sorted(answers, key=lambda a: (a.question.is_archived, a.question.position, a.question_id))
    return [
        ShownAnswer(a.question_label, display(a.question.kind, a.value), a.question,
                    upload_id=a.value.get("upload_id") if a.question.kind is QuestionKind.FILE else None,
                    relabelled=a.question_label != a.question.label, value=a.value)
        for a in ordered
    ]


def display(kind: QuestionKind, value: Any) -> str:
    """An answer as people read it (page, CSV)."""
    if value is None:
        return ""
    if kind is QuestionKind.YES_NO:
        return _("Yes") if value else _("No")
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return "; ".join(value)
    if kind is QuestionKind.COUNTRY:
        return country_name(value)
    if kind is QuestionKind.DATE:
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if kind is QuestionKind.NUMBER:
        return format_number(value) if not (isinstance(value, float) and math.isnan(value)) else ""
    if kind is QuestionKind.FILE:
        return f"{value['filename']} ({uploads.readable_size(value['size'])})"
    return str(value)


def raw_values(questions: list[Question], answers: Iterable[Answer]) -> dict[str, Any]:
    """Saved answers as form data, to fill the edit form: the inverse of clean()."""
    by_question = {a.question_id: a.value for a in answers}
    data: dict[str, Any] = {}
    for q in questions:
        value = by_question.get(q.id)
        if value is None or q.kind is QuestionKind.FILE:
            continue
        if q.kind is QuestionKind.YES_NO:
            value = "yes" if value else "no"
        elif q.kind is QuestionKind.NUMBER:
            value = format_number(value)
        data[q.field_name] = value
    return data


def answer_table(session: Session, registration_ids: list[int], question_ids: list[int]) -> dict[tuple[int, int], str]:
    """{(registration id, question id): text} for lists and exports: one query for all rows."""
    if not registration_ids or not question_ids:
        return {}
    rows = session.execute(
        sa.select(Answer.registration_id, Answer.question_id, Answer.value, Question.kind)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.registration_id.in_(registration_ids), Answer.question_id.in_(question_ids))
    )
    return {(r.registration_id, r.question_id): display(r.kind, r.value) for r in rows}


def export_questions(session: Session, event_id: int) -> list[Question]:
    """Columns for an export: the form's questions, then removed ones that still have answers."""
    return list(session.scalars(
        sa.select(Question).where(
            Question.event_id == event_id,
            sa.or_(Question.archived_at.is_(None),
                   sa.exists().where(Answer.question_id == Question.id)),
        ).order_by(Question.archived_at.is_not(None), Question.position, Question.id)
    ))


def upload_of_registration(session: Session, registration_id: int, upload_id: int) -> Upload | None:
    upload = session.get(Upload, upload_id)
    return upload if upload is not None and upload.registration_id == registration_id else None


# --- the participant edits their answers ------------------------------------------------

def update(session: Session, registration_id: int, questions: list[Question], cleaned: CleanedAnswers,
           *, upload_folder: str, now: datetime, upload_quota: int | None = None) -> Registration:
    """Replace a registration's answers with the ones the participant just sent."""
    # Lock the row alone (its eager joins cannot be locked on PostgreSQL): two saves of the same
    # answers, from two tabs, then run one after the other.
    session.execute(sa.select(Registration.id).where(Registration.id == registration_id).with_for_update())
    registration = session.get(Registration, registration_id, populate_existing=True)
    if registration is None:
        raise LookupError(f"registration {registration_id} does not exist")
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is cancelled, so its answers can no longer be changed."))
    if not registration.can_edit_answers(now):
        raise DomainError(_("Registration has closed, so the answers can no longer be changed. "
                            "Please write to the organisers if something important has changed."))
    save(session, registration, questions, cleaned, upload_folder=upload_folder, now=now, upload_quota=upload_quota)
    return registration
