"""An event's own questions on its registration form, the answers to them, and uploaded files."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, string_enum, utcnow
from app.models.bilingual import localized, localized_list
from app.models.event import Event
from app.models.registration import Registration


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    COUNTRY = "country"
    FILE = "file"

    @property
    def label(self) -> str:
        return str({
            "short_text": _l("Short text"),
            "long_text": _l("Long text"),
            "single_choice": _l("Single choice"),
            "multiple_choice": _l("Multiple choice"),
            "yes_no": _l("Yes / no"),
            "number": _l("Number"),
            "date": _l("Date"),
            "country": _l("Country"),
            "file": _l("File upload (PDF)"),
        }[self.value])

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)

    @property
    def can_be_a_condition(self) -> bool:
        """Other questions may be shown only for one answer to this one."""
        return self in (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE)


class Question(Base):
    """One question of an event's form. Removed questions that have answers are archived, not
    deleted, so that those answers stay readable."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind, 20))
    label: Mapped[str] = mapped_column(sa.String(300))
    help_text: Mapped[str] = mapped_column(sa.String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # for the choice kinds
    # In Korean, optional (app/models/bilingual.py). options_ko are labels for the options at the same
    # positions: the English option stays the value stored in answers, whatever the language.
    label_ko: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    help_text_ko: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    options_ko: Mapped[list[str]] = mapped_column(sa.JSON, default=list, server_default=sa.text("'[]'"))
    min_value: Mapped[float | None] = mapped_column(default=None)  # for numbers
    max_value: Mapped[float | None] = mapped_column(default=None)
    # Shown only when the answer to that (yes/no or single-choice) question is condition_value.
    condition_question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="SET NULL"), default=None
    )
    condition_value: Mapped[str] = mapped_column(sa.String(200), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    condition_question: Mapped[Question | None] = relationship(remote_side=[id])

    __table_args__ = (sa.Index("ix_questions_event_position", "event_id", "position"),)

    @property
    def field_name(self) -> str:
        return f"q_{self.id}"

    @property
    def shown_label(self) -> str:
        return localized(self, "label")

    @property
    def shown_help_text(self) -> str:
        return localized(self, "help_text")

    @property
    def option_choices(self) -> list[tuple[str, str]]:
        """(stored value, label in the current language) for each option."""
        return list(zip(self.options or [], localized_list(self.options or [], self.options_ko), strict=True))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def condition_text(self) -> str:
        """'“Do you need travel support?” is Yes', or '' without a condition."""
        if self.condition_question is None:
            return ""
        value = {"yes": _("Yes"), "no": _("No")}.get(self.condition_value, self.condition_value) \
            if self.condition_question.kind is QuestionKind.YES_NO else self.condition_value
        return _("“%(question)s” is %(answer)s", question=self.condition_question.label, answer=value)

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind} {self.label!r}>"


class Answer(Base):
    """A registration's answer, typed (str, list, bool, number, ISO date, country code, file).

    The question's label is copied as it was when answered: an organiser who rewords or
    removes the question later still reads what the participant was asked.
    """

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    question_label: Mapped[str] = mapped_column(sa.String(300))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    question: Mapped[Question] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        sa.UniqueConstraint("registration_id", "question_id", name="uq_answers_registration_question"),
    )


class Upload(Base):
    """A file a participant sent with an answer. The bytes live in UPLOAD_FOLDER under stored_name,
    a random name: never the participant's file name, never under the web root."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_filename: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    question: Mapped[Question] = relationship()
