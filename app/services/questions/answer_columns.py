"""The attendee list's answer columns: the questions an organiser picked, with the page's answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.database import Session
from app.models import Question
from app.services.questions.answers import answer_table, export_questions


@dataclass(frozen=True)
class AnswerColumns:
    """The questions an organiser chose to see as columns of the attendee list, with the page's answers."""

    available: list[Question]
    chosen: list[Question]
    cells: dict[tuple[int, int], str]

    def cell(self, registration_id: int, question_id: int) -> str:
        return self.cells.get((registration_id, question_id), "")


def answer_columns(session: Session, event_id: int, chosen_ids: Iterable[int],
                   registration_ids: list[int]) -> AnswerColumns:
    """Two queries whatever the page's length: the questions, then every chosen answer of its rows."""
    available = export_questions(session, event_id)
    by_id = {q.id: q for q in available}
    chosen = [by_id[i] for i in chosen_ids if i in by_id]
    return AnswerColumns(available, chosen, answer_table(session, registration_ids, [q.id for q in chosen]))
