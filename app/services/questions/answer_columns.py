"""The attendee list's answer columns: the questions an organiser picked, with the page's answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa

from app.database import Session
from app.models import Answer, Question
from app.services.questions.answers import answer_table


class QuestionColumn(NamedTuple):
    """A question as the list's column picker and header show it, read as plain values."""

    id: int
    label: str


def shown_questions(event_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """The questions the list offers as columns: export_questions' choice (the form's questions, then removed
    ones that still have answers), ordered by archived_at IS NOT NULL, position, id."""
    return sa.and_(Question.event_id == event_id,
                   sa.or_(Question.archived_at.is_(None), sa.exists().where(Answer.question_id == Question.id)))


@dataclass(frozen=True)
class AnswerColumns:
    """The questions an organiser chose to see as columns of the attendee list, with the page's answers."""

    available: list[QuestionColumn]
    chosen: list[QuestionColumn]
    cells: dict[tuple[int, int], str]

    def cell(self, registration_id: int, question_id: int) -> str:
        return self.cells.get((registration_id, question_id), "")


def answer_columns(session: Session, available: list[QuestionColumn], chosen_ids: Iterable[int],
                   registration_ids: list[int]) -> AnswerColumns:
    """The `available` questions (attendees.facets_and_notes reads them) and, with one query whatever the page's
    length, every chosen answer of its rows."""
    by_id = {q.id: q for q in available}
    chosen = [by_id[i] for i in chosen_ids if i in by_id]
    return AnswerColumns(available, chosen, answer_table(session, registration_ids, [q.id for q in chosen]))
