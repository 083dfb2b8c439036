"""The automatic emails' texts: every default passes the checks an organiser's text must pass, and empty
placeholders leave no empty headings or lines behind."""

from __future__ import annotations

import pytest

from app.services.errors import InvalidInput
from app.services.mail.email_kinds import KINDS
from app.services.mail.email_texts import check_text, fill_text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_default_text_passes_the_checks_of_an_edited_one(kind):
    check_text(kind, KINDS[kind].subject, KINDS[kind].body)


def test_a_required_placeholder_a_subject_placeholder_and_an_unknown_one_are_each_refused_by_field():
    with pytest.raises(InvalidInput) as refused:
        check_text("registration_confirmed", "Hello {nickname}", "Dear {first_name}, welcome.")
    problems = {p.field: p.message for p in refused.value.problems}
    assert problems["subject"].startswith("Unknown placeholder {nickname}.")
    assert problems["body"].startswith("Please keep {personal_link} in this text")
    # A kind's own placeholder is known to that kind only.
    check_text("certificate_issued", "Code {verification_code}", "See {verify_link}")
    with pytest.raises(InvalidInput):
        check_text("registration_waitlisted", "Code {verification_code}", "{personal_link}")


def test_an_empty_heading_and_an_empty_line_are_left_out_and_the_rest_kept():
    text = "Hello {first_name},\n\nYour sessions:\n{sessions}\n\n- one\n{step}\n- two\n\nBye {step}."
    assert fill_text(text, {"first_name": "Lan", "sessions": "", "step": ""}) == "Hello Lan,\n\n- one\n- two\n\nBye .\n"
    assert fill_text(text, {"first_name": "Lan", "sessions": "- A", "step": "- B"}) == (
        "Hello Lan,\n\nYour sessions:\n- A\n\n- one\n- B\n- two\n\nBye - B.\n")
