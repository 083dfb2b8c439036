"""The event's own questions on its registration form (docs/features/custom-questions.md)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Event, Registration, utcnow
from app.public import bp
from app.public.form_parts import FormPart, register_part
from app.public.forms import RegistrationForm
from app.public.question_fields import (
    add_question_fields,
    cleaned_answers,
    input_attributes,
    keep_chosen_files,
    release_kept_files,
)
from app.services.questions import answers, questions, uploads


def add_fields(form_class: type[RegistrationForm], event: Event) -> bool:
    event_questions = questions.active_questions(db.session, event.id)
    if not event_questions:
        return False
    add_question_fields(form_class, event_questions)
    return True


def save(session: Session, registration: Registration, form: RegistrationForm, event: Event) -> None:
    answers.save(
        session, registration, form.questions, cleaned_answers(form),
        upload_folder=current_app.config["UPLOAD_FOLDER"], now=utcnow(),
    )
    release_kept_files(session, form)


register_part(FormPart(name="questions", template="public/_questions.html", add_fields=add_fields, save=save,
                       show_again=keep_chosen_files))


@bp.app_template_global("question_input_attributes")
def _question_input_attributes(question):
    return input_attributes(question)


@bp.app_template_global("upload_limit")
def _upload_limit() -> str:
    return uploads.readable_size(current_app.config["UPLOAD_MAX_BYTES"])
