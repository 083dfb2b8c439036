"""Small rules of the documents: placeholders, verification codes, the certificate threshold."""

from __future__ import annotations

import pytest

from app.services.documents.certificates import qualifies
from app.services.documents.document_wording import PLACEHOLDERS, check_placeholders, fill, paragraphs
from app.services.documents.verification import new_code, normalise_code
from app.services.errors import DomainError
from app.services.placeholders import unknown_placeholders


def test_known_placeholders_pass_and_unknown_ones_are_named():
    check_placeholders("Dear {given_name}, welcome to {event_title} ({event_dates}). {{literal braces}}")
    assert unknown_placeholders("{name} and {given_name!r} and {event_dates:>20}", PLACEHOLDERS) == [
        "name", "given_name!r", "event_dates:>20"]
    with pytest.raises(DomainError, match=r"Unknown placeholder \{name\}") as refused:
        check_placeholders("Dear {name}", field="letter_body")
    assert refused.value.field == "letter_body"
    with pytest.raises(DomainError, match="is not closed"):
        check_placeholders("Dear {given_name")


def test_a_text_reaches_only_the_values_given_never_an_objects_attributes():
    # {given_name.__class__} or {0} would reach Python objects through str.format: they are refused, and
    # filling never looks anything up but a plain name.
    assert unknown_placeholders("{given_name.__class__} {0} {given_name[0]}", PLACEHOLDERS) == [
        "given_name.__class__", "0", "given_name[0]"]
    assert fill("{given_name.__class__} {given_name}", {"given_name": "Lan"}) == "{given_name.__class__} Lan"


def test_a_required_placeholder_is_asked_for_with_the_reason():
    from app.services.placeholders import check_placeholders as check

    check("Your link: {personal_link}", ["personal_link"], required={"personal_link": "it is their only way in."})
    with pytest.raises(DomainError, match=r"keep \{personal_link\} in this text: it is their only way in"):
        check("No link here", ["personal_link"], required={"personal_link": "it is their only way in."})


def test_filling_leaves_odd_text_as_typed_and_paragraphs_split_on_blank_lines():
    assert fill("Hello {given_name}", {"given_name": "Lan"}) == "Hello Lan"
    assert fill("Hello {given_name", {"given_name": "Lan"}) == "Hello {given_name"
    assert paragraphs("One\r\n\r\nTwo\nstill two\n\n\n") == ["One", "Two\nstill two"]


def test_verification_codes_are_read_back_however_they_are_typed():
    code = new_code()
    assert len(code) == 14 and code.count("-") == 2
    assert normalise_code(code.lower().replace("-", " ")) == code
    assert normalise_code("  k7qm3xrt9pld ") == "K7QM-3XRT-9PLD"
    assert normalise_code("short") == "SHORT"  # not a code: looked up as typed, and not found


@pytest.mark.parametrize(("attended", "total", "threshold", "expected"), [
    (4, 5, 80, True),   # exactly 80 %
    (3, 5, 80, False),
    (1, 1, 80, True),
    (0, 0, 80, False),  # no days: nothing to attend
    (2, 3, 67, False),  # 66.7 % is below 67 %
    (2, 3, 66, True),
])
def test_the_certificate_threshold_is_compared_without_rounding(attended, total, threshold, expected):
    assert qualifies(attended, total, threshold) is expected
