"""Helpers every blueprint shares: where a redirect may go, and how a download is named."""

from __future__ import annotations

import pytest

from app.redirects import safe_next_url

LIST = "/admin/events/7/attendees"

HOSTILE = [
    "//evil.example",
    "//evil.example/admin/events/7/attendees",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example",
    "https://evil.example/admin/events/7/attendees",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "evil.example",
    "",
    None,
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_redirect_never_leaves_the_site(target):
    assert safe_next_url(target, fallback="/admin/") == "/admin/"
    assert safe_next_url(target, fallback=LIST, under=LIST) == LIST


@pytest.mark.parametrize("target", ["/admin/events/7/attendees?page=3&status=confirmed",
                                    "/admin/events/7/attendees/12", "/admin/events/7/attendees?search=http://x"])
def test_a_redirect_goes_back_to_the_page_it_came_from(target):
    assert safe_next_url(target, fallback=LIST, under=LIST) == target


def test_a_redirect_stays_under_the_page_it_is_meant_for():
    assert safe_next_url("/admin/events/8/attendees", fallback=LIST, under=LIST) == LIST
    assert safe_next_url("/admin/events/8/attendees", fallback="/admin/") == "/admin/events/8/attendees"
