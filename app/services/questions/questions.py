"""An event's own questions: add, edit, reorder and remove them. Callers commit.

Rules that keep answers readable and the form coherent:
- a question that has answers keeps its kind (the answers were given in that form);
- removing a question with answers archives it: its answers still show, it leaves the form;
- a condition points to an earlier yes/no or single-choice question of the same event, so the
  form reads top to bottom and conditions cannot go round in a circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.database import Session
from app.models import Answer, Question, QuestionKind
from app.services.errors import DomainError
from app.services.registration.locking import lock_event

MAX_OPTIONS = 40
MAX_QUESTIONS = 60


@dataclass(frozen=True)
class QuestionDetails:
    kind: QuestionKind
    label: str
    help_text: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None
    condition_question_id: int | None = None
    condition_value: str = ""
    # In Korean, optional (app/models/bilingual.py): options_ko label the English options at the same positions.
    label_ko: str = ""
    help_text_ko: str = ""
    options_ko: list[str] = field(default_factory=list)


def active_questions(session: Session, event_id: int) -> list[Question]:
    """The questions on the event's form, in order."""
    return list(session.scalars(_ACTIVE_QUESTIONS, {"event_id": event_id}))


# Built once: every showing and sending of a registration form with questions asks for them.
_ACTIVE_QUESTIONS = (sa.select(Question)
                     .where(Question.event_id == sa.bindparam("event_id"), Question.archived_at.is_(None))
                     .order_by(Question.position, Question.id))


def archived_questions(session: Session, event_id: int) -> list[Question]:
    return list(session.scalars(
        sa.select(Question)
        .where(Question.event_id == event_id, Question.archived_at.is_not(None))
        .order_by(Question.archived_at, Question.id)
    ))


def answer_counts(session: Session, event_id: int) -> dict[int, int]:
    rows = session.execute(
        sa.select(Answer.question_id, sa.func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.event_id == event_id)
        .group_by(Answer.question_id)
    )
    return dict(rows.tuples().all())


def add_question(session: Session, event_id: int, details: QuestionDetails) -> Question:
    event = lock_event(session, event_id)  # positions are handed out one at a time
    questions = active_questions(session, event.id)
    if len(questions) >= MAX_QUESTIONS:
        raise DomainError(_("A form can have at most %(max)d questions. Remove one first.", max=MAX_QUESTIONS))
    question = Question(event_id=event.id, position=(questions[-1].position + 1) if questions else 1)
    _apply(question, details, earlier=questions)
    session.add(question)
    session.flush()
    return question


def edit_question(session: Session, question_id: int, details: QuestionDetails) -> Question:
    question = _locked_question(session, question_id)
    questions = active_questions(session, question.event_id)
    if details.kind is not question.kind and _has_answers(session, question.id):
        raise DomainError(
            _("This question already has answers given as “%(kind)s”, so its type cannot change. "
              "Add a new question instead (and remove this one if you no longer need it).", kind=question.kind.label),
            field="kind")
    earlier = [q for q in questions if (q.position, q.id) < (question.position, question.id)]
    _check_dependents_still_possible(session, question, details)
    _apply(question, details, earlier=earlier)
    session.flush()
    return question


def move_question(session: Session, question_id: int, direction: Literal["up", "down"]) -> Question:
    """Swap the question with its neighbour. A follow-up cannot move above the question it depends on."""
    question = _locked_question(session, question_id)
    questions = active_questions(session, question.event_id)
    index = questions.index(question)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(questions):
        return question  # already first or last: nothing to do
    other = questions[other_index]
    first, second = (other, question) if direction == "up" else (question, other)
    if second.condition_question_id == first.id:
        raise DomainError(_("“%(second)s” is shown depending on the answer to “%(first)s”, so it must stay below it.",
                            second=second.label, first=first.label))
    questions[index], questions[other_index] = other, question
    for position, q in enumerate(questions, start=1):  # renumber: also repairs equal positions
        q.position = position
    session.flush()
    return question


def remove_question(session: Session, question_id: int, *, now: datetime) -> bool:
    """Take the question off the form. Returns True when it was archived to keep its answers."""
    question = _locked_question(session, question_id)
    dependents = [q for q in active_questions(session, question.event_id) if q.condition_question_id == question.id]
    if dependents:
        names = ", ".join(f"“{q.label}”" for q in dependents)
        raise DomainError(ngettext("%(names)s depends on the answer to this question. Remove that condition (or that "
                                   "question) first.",
                                   "%(names)s depend on the answer to this question. Remove those conditions (or those "
                                   "questions) first.", len(dependents), names=names))
    if _has_answers(session, question.id):
        question.archived_at = now
        session.flush()
        return True
    session.delete(question)
    session.flush()
    return False


def _locked_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None or question.is_archived:
        raise DomainError(_("This question no longer exists. Someone may have removed it a moment ago."))
    lock_event(session, question.event_id)
    session.refresh(question)
    return question


def _has_answers(session: Session, question_id: int) -> bool:
    return session.scalar(sa.select(sa.literal(True)).where(Answer.question_id == question_id).limit(1)) is not None


def _apply(question: Question, details: QuestionDetails, *, earlier: list[Question]) -> None:
    label = details.label.strip()
    if not label:
        raise DomainError(_("Please write the question."), field="label")
    if len(label) > 300:
        raise DomainError(_("Please keep the question under 300 characters; put details in the help text."),
                          field="label")
    options = _clean_options(details) if details.kind.has_options else []
    low, high = (details.min_value, details.max_value) if details.kind is QuestionKind.NUMBER else (None, None)
    if low is not None and high is not None and low > high:
        raise DomainError(_("The smallest allowed number is larger than the largest."), field="min_value")
    condition_id, condition_value = _clean_condition(details, earlier)
    label_ko = details.label_ko.strip()
    if len(label_ko) > 300:
        raise DomainError(_("Please keep the Korean question under 300 characters."), field="label_ko")
    options_ko = _clean_korean_options(details, options)

    question.kind = details.kind
    question.label = label
    question.help_text = details.help_text.strip()[:500]
    question.required = details.required
    question.options = options
    question.min_value, question.max_value = low, high
    question.condition_question_id = condition_id
    question.condition_value = condition_value
    question.label_ko = label_ko
    question.help_text_ko = details.help_text_ko.strip()[:500]
    question.options_ko = options_ko


def _clean_options(details: QuestionDetails) -> list[str]:
    options: list[str] = []
    for option in (o.strip() for o in details.options):
        if not option:
            continue
        if len(option) > 200:
            raise DomainError(_("Please keep each choice under 200 characters."), field="options")
        if option.lower() in (o.lower() for o in options):
            raise DomainError(_("The choice “%(option)s” is listed twice.", option=option), field="options")
        options.append(option)
    if len(options) < 2:
        raise DomainError(_("Give at least two choices, one per line."), field="options")
    if len(options) > MAX_OPTIONS:
        raise DomainError(_("Give at most %(max)d choices.", max=MAX_OPTIONS), field="options")
    return options


def _clean_korean_options(details: QuestionDetails, options: list[str]) -> list[str]:
    """One Korean label per English option, in its order, or none at all: a missing line would label the wrong
    option. Answers keep the English option, so the Korean can change at any time."""
    korean = [option.strip() for option in details.options_ko if option.strip()]
    if not korean or not options:
        return []
    if len(korean) != len(options):
        raise DomainError(_("Give one Korean choice for each of the %(count)d English choices, in the same order "
                            "(you gave %(given)d), or leave the Korean choices empty.",
                            count=len(options), given=len(korean)), field="options_ko")
    if any(len(option) > 200 for option in korean):
        raise DomainError(_("Please keep each Korean choice under 200 characters."), field="options_ko")
    return korean


def _clean_condition(details: QuestionDetails, earlier: list[Question]) -> tuple[int | None, str]:
    if details.condition_question_id is None:
        return None, ""
    target = next((q for q in earlier if q.id == details.condition_question_id), None)
    if target is None or not target.kind.can_be_a_condition:
        raise DomainError(_("A question can only depend on an earlier yes/no or single-choice question of this form."),
                          field="condition")
    if details.condition_value not in allowed_condition_values(target):
        raise DomainError(_("“%(answer)s” is not one of the answers to “%(question)s”.",
                            answer=details.condition_value, question=target.label), field="condition")
    return target.id, details.condition_value


def allowed_condition_values(question: Question) -> list[str]:
    return ["yes", "no"] if question.kind is QuestionKind.YES_NO else list(question.options)


def _check_dependents_still_possible(session: Session, question: Question, details: QuestionDetails) -> None:
    """Editing a question must not strand the follow-ups that wait for one of its answers."""
    for dependent in active_questions(session, question.event_id):
        if dependent.condition_question_id != question.id:
            continue
        still = details.kind.can_be_a_condition and (
            dependent.condition_value in (["yes", "no"] if details.kind is QuestionKind.YES_NO
                                          else [o.strip() for o in details.options]))
        if not still:
            raise DomainError(
                _("“%(question)s” is shown only when the answer here is “%(answer)s”. Keep that answer possible, "
                  "or change that question's condition first.", question=dependent.label,
                  answer=dependent.condition_value), field="options")


def condition_choices(questions: list[Question], *, before: Question | None = None) -> list[tuple[str, str]]:
    """('<id>:<answer>', '“Label” is Answer') for every answer a later question may depend on."""
    choices = []
    for q in questions:
        if before is not None and (q.position, q.id) >= (before.position, before.id):
            break
        if q.kind.can_be_a_condition:
            for value in allowed_condition_values(q):
                shown = {"yes": "Yes", "no": "No"}.get(value, value) if q.kind is QuestionKind.YES_NO else value
                choices.append((f"{q.id}:{value}", f"“{q.label}” is {shown}"))
    return choices

