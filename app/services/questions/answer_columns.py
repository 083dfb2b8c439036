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


# export_questions' choice and order, built once and sent on the session's connection as plain rows: the list
# asks it on every page, where the questions' entities cost more than the query.
_COLUMNS = (
    sa.select(Question.id, Question.label)
    .where(Question.event_id == sa.bindparam("event_id"),
           sa.or_(Question.archived_at.is_(None), sa.exists().where(Answer.question_id == Question.id)))
    .order_by(Question.archived_at.is_not(None), Question.position, Question.id)
)


@dataclass(frozen=True)
class AnswerColumns:
    """The questions an organiser chose to see as columns of the attendee list, with the page's answers."""

    available: list[QuestionColumn]
    chosen: list[QuestionColumn]
    cells: dict[tuple[int, int], str]

    def cell(self, registration_id: int, question_id: int) -> str:
        return self.cells.get((registration_id, question_id), "")


def answer_columns(session: Session, event_id: int, chosen_ids: Iterable[int],
                   registration_ids: list[int]) -> AnswerColumns:
    """Two queries whatever the page's length: the questions, then every chosen answer of its rows."""
    available = [QuestionColumn(*row) for row in session.connection().execute(_COLUMNS, {"event_id": event_id})]
    by_id = {q.id: q for q in available}
    chosen = [by_id[i] for i in chosen_ids if i in by_id]
    return AnswerColumns(available, chosen, answer_table(session, registration_ids, [q.id for q in chosen]))
