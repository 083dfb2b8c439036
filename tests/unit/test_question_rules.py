"""The rules of answers and files, without a database: typed values, conditions, PDF checks, sizes."""

from __future__ import annotations

import io

import pytest

from app.models import Question, QuestionKind
from app.services.errors import DomainError
from app.services.questions import answers, uploads
from tests.integration.questions_support import ELF, PDF


def question(id: int, kind: str, **fields) -> Question:
    return Question(id=id, kind=QuestionKind(kind), label=f"Q{id}", options=fields.pop("options", []),
                    required=fields.pop("required", False), condition_value=fields.pop("condition_value", ""),
                    **fields)


@pytest.mark.parametrize(("text", "value"), [("1500", 1500), ("1,500", 1500), (" 2.5 ", 2.5), ("-3", -3), ("0", 0)])
def test_numbers_are_read_as_people_write_them(text, value):
    cleaned = answers.clean([question(1, "number")], {1: text}, max_upload_bytes=10)
    assert cleaned.values == {1: value} and not cleaned.errors


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e400", "12abc", "1.2.3"])
def test_things_that_are_not_plain_numbers_are_refused(text):
    cleaned = answers.clean([question(1, "number")], {1: text}, max_upload_bytes=10)
    assert cleaned.errors == {1: "Enter a number using digits only, e.g. 1500 or 2.5."}


def test_a_follow_up_of_a_hidden_question_is_hidden_too():
    travel = question(1, "yes_no", required=True)
    kind = question(2, "single_choice", options=["Flight", "Hotel"], required=True,
                    condition_question_id=1, condition_value="yes")
    airline = question(3, "short_text", required=True, condition_question_id=2, condition_value="Flight")

    no = answers.clean([travel, kind, airline], {1: "no", 2: "Flight", 3: "KAL"}, max_upload_bytes=10)
    assert no.values == {1: False} and no.hidden == {2, 3} and not no.errors

    yes = answers.clean([travel, kind, airline], {1: "yes", 2: "Flight"}, max_upload_bytes=10)
    assert yes.values == {1: True, 2: "Flight"} and yes.errors == {3: "Please answer this question."}


def test_multiple_choices_come_back_in_the_organisers_order_without_repeats():
    q = question(1, "multiple_choice", options=["ICT", "Energy", "Agro"])
    assert answers.clean([q], {1: ["Agro", "ICT", "ICT"]}, max_upload_bytes=10).values == {1: ["ICT", "Agro"]}


def test_answers_read_as_people_read_them():
    assert answers.display(QuestionKind.YES_NO, False) == "No"
    assert answers.display(QuestionKind.DATE, "2026-11-03") == "3 November 2026"
    assert answers.display(QuestionKind.COUNTRY, "KE") == "Kenya"
    assert answers.display(QuestionKind.NUMBER, 2.5) == "2.5"
    assert answers.display(QuestionKind.FILE, {"upload_id": 1, "filename": "cv.pdf", "size": 3 * 1024 * 1024}) \
        == "cv.pdf (3 MB)"


def test_pdf_check_by_content_and_names_made_safe():
    assert uploads.check_pdf("C:\\Users\\me\\cv", io.BytesIO(PDF), max_bytes=10_000).filename == "cv.pdf"
    with pytest.raises(DomainError, match="not a PDF"):
        uploads.check_pdf("cv.pdf", io.BytesIO(ELF), max_bytes=10_000)


@pytest.mark.parametrize(("size", "text"), [(1, "1 KB"), (120 * 1024, "120 KB"), (5 * 1024 * 1024, "5 MB"),
                                            (1536 * 1024, "1.5 MB")])
def test_sizes_read_as_people_read_them(size, text):
    assert uploads.readable_size(size) == text
