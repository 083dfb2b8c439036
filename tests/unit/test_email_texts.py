"""Organisers' email texts become HTML safely: escaped, paragraphs, links."""

from __future__ import annotations

from app.services.mail.texts import text_to_html
from app.services.placeholders import fill


def test_plain_text_becomes_paragraphs_line_breaks_and_links():
    html = text_to_html("Dear Lan,\n\nSee https://events.wtanet.org/r/abc?x=1&y=2.\nThanks\n\n\n")

    assert html == ('<p>Dear Lan,</p>\n<p>See <a href="https://events.wtanet.org/r/abc?x=1&amp;y=2">'
                    'https://events.wtanet.org/r/abc?x=1&amp;y=2</a>.<br>\nThanks</p>')


def test_nothing_an_organiser_or_a_participant_types_becomes_markup():
    text = fill("Hello {name} <b>bold</b> \"https://x.example/a\" javascript:alert(1)",
                {"name": "<script>alert(1)</script>"})

    html = text_to_html(text)

    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and '<a href="https://x.example/a">' in html and "href=\"javascript" not in html
