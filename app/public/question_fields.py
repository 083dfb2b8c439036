"""Form fields for an event's own questions, shared by the registration form and the page where a
participant edits their answers. Each field's check is answers.clean(): one set of rules."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import Field, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import DATE_ATTRIBUTES, DATE_HINT
from app.models import Question, QuestionKind
from app.models.bilingual import content_language
from app.public.forms import COUNTRY_CHOICES, PrerenderedSelect
from app.services.questions import answers, uploads

YES_NO_CHOICES = [("yes", _l("Yes")), ("no", _l("No"))]
# One shared widget: the ~250 country options are rendered once for every country question.
_COUNTRY_SELECT = PrerenderedSelect()


class ChoicesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass  # answers.clean() says it in words a participant understands


@dataclass(frozen=True)
class QuestionShape:
    """All a question's form field is built from: equal shapes make equal fields, so a form class made
    for them can serve every request (the registration form keeps one per event form)."""

    field_name: str
    kind: QuestionKind
    label: str
    help_text: str
    required: bool
    options: tuple[tuple[str, str], ...]  # (stored value, label in the language)
    # The words above are in this language (the organiser's Korean where given): a form class per language.
    language: str = "en"

    @classmethod
    def of(cls, question: Question) -> QuestionShape:
        return cls(question.field_name, question.kind, question.shown_label, question.shown_help_text,
                   question.required, tuple(question.option_choices), content_language())


def add_question_fields(form_class: type, questions: list[Question]) -> None:
    """Add one field per question to a form class made for one request, and the questions themselves."""
    add_fields_of_shapes(form_class, [QuestionShape.of(q) for q in questions])
    attach_questions(form_class, questions)


def attach_questions(form, questions: list[Question]) -> None:
    """What the question fields' checks and templates read, on a form object (or a class made for one request)."""
    form.questions = questions
    form.has_files = any(q.kind is QuestionKind.FILE for q in questions)


def add_fields_of_shapes(form_class: type, shapes: Iterable[QuestionShape]) -> None:
    """Add one field per question (named q_<id>) to a form class; a file question also gets q_<id>_kept,
    which carries a file chosen in an earlier try of the form. The form object needs `questions` too."""
    for shape in shapes:
        setattr(form_class, shape.field_name, _field_for(shape))
        if shape.kind is QuestionKind.FILE:
            setattr(form_class, kept_field_name(shape), HiddenField())


def _field_for(question: QuestionShape) -> Field:
    label = question.label if question.required else _l("%(question)s (optional)", question=question.label)
    common = dict(label=label, description=question.help_text, validators=[_checked_by_answers])
    kind = question.kind
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(**common)
    if kind is QuestionKind.SINGLE_CHOICE:
        return RadioField(choices=list(question.options), validate_choice=False, **common)
    if kind is QuestionKind.YES_NO:
        return RadioField(choices=YES_NO_CHOICES, validate_choice=False, **common)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return ChoicesField(choices=list(question.options), **common)
    if kind is QuestionKind.COUNTRY:
        return SelectField(choices=COUNTRY_CHOICES, validate_choice=False, widget=_COUNTRY_SELECT, **common)
    if kind is QuestionKind.FILE:
        return FileField(**common)
    return StringField(**common)  # short text, number and date: typed and checked by answers.clean()


def cleaned_answers(form) -> answers.CleanedAnswers:
    """The answers of the submitted form, checked once per request."""
    if getattr(form, "_cleaned_answers", None) is None:
        raw = {}
        for question in form.questions:
            raw[question.id] = form[question.field_name].data
            if question.kind is QuestionKind.FILE and not getattr(raw[question.id], "filename", ""):
                raw[question.id] = _file_kept_from_last_try(form, question)
        form._cleaned_answers = answers.clean(
            form.questions, raw,
            max_upload_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            kept_files=getattr(form, "kept_files", ()),
        )
    return form._cleaned_answers


def upload_quota() -> int | None:
    """UPLOAD_QUOTA_PER_EVENT_MB in bytes (a fraction of a megabyte works too); None when it is 0 (no quota)."""
    megabytes = current_app.config["UPLOAD_QUOTA_PER_EVENT_MB"]
    return int(megabytes * 1024 * 1024) if megabytes else None


def _checked_by_answers(form, field) -> None:
    cleaned = cleaned_answers(form)
    question_id = int(field.short_name.removeprefix("q_"))
    if question_id in cleaned.errors:
        raise ValidationError(cleaned.errors[question_id])


def input_attributes(question: Question) -> dict:
    """Extra HTML attributes that help browsers (date format, number keypad, PDF-only file picker)."""
    by_kind: dict[QuestionKind, dict[str, Any]] = {
        QuestionKind.DATE: {**DATE_ATTRIBUTES, "hint": f"{question.help_text} {DATE_HINT}".strip()},
        QuestionKind.NUMBER: {"inputmode": "decimal"},
        QuestionKind.FILE: {"accept": "application/pdf,.pdf"},
        QuestionKind.LONG_TEXT: {"rows": 5},
    }
    return by_kind.get(question.kind, {})


# --- a chosen file survives another field's error ----------------------------------------------

_KEPT_SALT = "kept-upload"


def kept_field_name(question: Question | QuestionShape) -> str:
    return f"{question.field_name}_kept"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_KEPT_SALT)


def _file_kept_from_last_try(form, question: Question):
    """The file this question received in the form's previous try, as if chosen again; None if there is none."""
    token = form[kept_field_name(question)].data if kept_field_name(question) in form else ""
    if not token:
        return None
    try:
        question_id, name, filename = _serializer().loads(token, max_age=int(uploads.KEPT_FOR.total_seconds()))
    except (BadData, ValueError, TypeError):
        return None
    if not (isinstance(name, str) and isinstance(filename, str)):
        return None  # signed by us, but not the shape we sign
    if question_id != question.id:
        return None  # signed for another question (or event): not this one's file
    kept = uploads.kept_file(current_app.config["UPLOAD_FOLDER"], name, filename)
    if kept is None:
        return None
    form._kept_from_last_try = {**getattr(form, "_kept_from_last_try", {}), question.id: (token, name)}
    return SimpleNamespace(filename=kept.filename, stream=io.BytesIO(kept.data))


def keep_chosen_files(form) -> None:
    """The form is shown again with errors: keep every PDF that passed its checks, so that the person
    does not have to choose it again (a browser cannot put it back into the file input)."""
    cleaned = getattr(form, "_cleaned_answers", None)
    if cleaned is None:
        return
    earlier = getattr(form, "_kept_from_last_try", {})
    form.kept_uploads = {}
    for question in form.questions:
        checked = cleaned.values.get(question.id)
        if question.kind is not QuestionKind.FILE or checked is None or form[question.field_name].errors:
            continue  # nothing to keep, or the file itself was refused (the event's upload quota)
        if question.id in earlier and not getattr(form[question.field_name].data, "filename", ""):
            token = earlier[question.id][0]  # the same file again: already kept
        else:
            name = uploads.keep_for_next_try(current_app.config["UPLOAD_FOLDER"], checked)
            token = _serializer().dumps([question.id, name, checked.filename])
        form[kept_field_name(question)].data = token
        form.kept_uploads[question.id] = checked.filename


def release_kept_files(session, form) -> None:
    """The answers are saved: the files kept for this form's tries are no longer needed."""
    for _, name in getattr(form, "_kept_from_last_try", {}).values():
        uploads.release_kept(session, current_app.config["UPLOAD_FOLDER"], name)
