"""Helpers for the custom-question tests: questions added as an organiser would, PDFs and fakes."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Event, Question, QuestionKind, Registration, Upload
from app.services.questions import questions as question_service
from tests.conftest import start_writing

# The smallest file a PDF reader accepts: header, one object, trailer, end-of-file marker.
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 200


def a_file(data: bytes, name: str = "case.pdf") -> tuple[io.BytesIO, str]:
    """A file as the test client sends it in a multipart form."""
    return io.BytesIO(data), name


def add_question(event: Event, kind: QuestionKind | str, label: str, **details) -> Question:
    start_writing()
    question = question_service.add_question(
        db.session, event.id, question_service.QuestionDetails(kind=QuestionKind(kind), label=label, **details))
    db.session.commit()
    return question


def answers_by_label(email: str) -> dict[str, object]:
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == email))
    rows = db.session.scalars(sa.select(Answer).where(Answer.registration_id == registration.id))
    return {a.question_label: a.value for a in rows}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def upload_count() -> int:
    return count(Upload)


@pytest.fixture
def upload_folder(app, tmp_path, monkeypatch):
    """Uploads of this test go to a directory of its own, emptied with it."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"
