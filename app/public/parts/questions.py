"""The event's own questions on its registration form (docs/features/custom-questions.md)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime

from flask import current_app

from app.database import Session
from app.models import Event, Question, Registration
from app.public import bp
from app.public.forms import RegistrationForm
from app.public.parts.base import FormPart
from app.public.question_fields import (
    QuestionShape,
    add_fields_of_shapes,
    attach_questions,
    cleaned_answers,
    input_attributes,
    keep_chosen_files,
    release_kept_files,
    upload_quota,
)
from app.services.questions import answers, questions, uploads


class QuestionsPart(FormPart):
    """Events with questions of their own."""

    template = "public/_questions.html"

    def __init__(self, asked: list[Question]) -> None:
        self.questions = asked

    @classmethod
    def for_event(cls, session: Session, event: Event) -> QuestionsPart | None:
        event_questions = questions.active_questions(session, event.id)
        return cls(event_questions) if event_questions else None

    @property
    def shape(self) -> tuple[QuestionShape, ...]:
        return tuple(QuestionShape.of(q) for q in self.questions)

    @staticmethod
    def add_fields(form_class: type[RegistrationForm], shape: tuple[QuestionShape, ...]) -> None:
        add_fields_of_shapes(form_class, shape)

    def cache_key(self, seats) -> Hashable:
        # The template reads the questions themselves (their conditions too): any edit changes updated_at.
        return self.shape, tuple((q.id, q.updated_at) for q in self.questions)

    def bind(self, form: RegistrationForm) -> None:
        attach_questions(form, self.questions)

    def save(self, session: Session, registration: Registration, form: RegistrationForm, *, now: datetime) -> None:
        answers.save(
            session, registration, self.questions, cleaned_answers(form),
            upload_folder=current_app.config["UPLOAD_FOLDER"], now=now, upload_quota=upload_quota(),
        )
        release_kept_files(session, form)

    def show_again(self, form: RegistrationForm) -> None:
        keep_chosen_files(form)


@bp.app_template_global("question_input_attributes")
def _question_input_attributes(question):
    return input_attributes(question)


@bp.app_template_global("upload_limit")
def _upload_limit() -> str:
    return uploads.readable_size(current_app.config["UPLOAD_MAX_BYTES"])
