"""Form fields for an event's own questions, shared by the registration form and the page where a
participant edits their answers. Each field's check is answers.clean(): one set of rules."""

from __future__ import annotations

from flask import current_app
from flask_wtf.file import FileField
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import DATE_ATTRIBUTES, DATE_HINT
from app.models import Question, QuestionKind
from app.public.forms import COUNTRY_CHOICES, PrerenderedSelect
from app.services import answers

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
# One shared widget: the ~250 country options are rendered once for every country question.
_COUNTRY_SELECT = PrerenderedSelect()


class ChoicesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        pass  # answers.clean() says it in words a participant understands


def add_question_fields(form_class: type, questions: list[Question]) -> None:
    """Add one field per question (named q_<id>) to a form class made for one event."""
    for question in questions:
        setattr(form_class, question.field_name, _field_for(question))
    form_class.questions = questions
    form_class.has_files = any(q.kind is QuestionKind.FILE for q in questions)


def _field_for(question: Question) -> Field:
    label = question.label if question.required else f"{question.label} (optional)"
    common = dict(label=label, description=question.help_text, validators=[_checked_by_answers])
    kind = question.kind
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(**common)
    if kind is QuestionKind.SINGLE_CHOICE:
        return RadioField(choices=[(o, o) for o in question.options], validate_choice=False, **common)
    if kind is QuestionKind.YES_NO:
        return RadioField(choices=YES_NO_CHOICES, validate_choice=False, **common)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return ChoicesField(choices=[(o, o) for o in question.options], **common)
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
        form._cleaned_answers = answers.clean(
            form.questions, raw,
            max_upload_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            kept_files=getattr(form, "kept_files", ()),
        )
    return form._cleaned_answers


def _checked_by_answers(form, field) -> None:
    cleaned = cleaned_answers(form)
    question_id = int(field.short_name.removeprefix("q_"))
    if question_id in cleaned.errors:
        raise ValidationError(cleaned.errors[question_id])


def input_attributes(question: Question) -> dict:
    """Extra HTML attributes that help browsers (date format, number keypad, PDF-only file picker)."""
    return {
        QuestionKind.DATE: {**DATE_ATTRIBUTES, "hint": f"{question.help_text} {DATE_HINT}".strip()},
        QuestionKind.NUMBER: {"inputmode": "decimal"},
        QuestionKind.FILE: {"accept": "application/pdf,.pdf"},
        QuestionKind.LONG_TEXT: {"rows": 5},
    }.get(question.kind, {})
