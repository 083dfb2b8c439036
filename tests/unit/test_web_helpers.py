"""Helpers every blueprint shares: where a redirect may go, and how a download is named."""

from __future__ import annotations

import pytest
from flask import Flask

from app.file_responses import content_disposition, download_response
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


def test_an_ascii_filename_is_sent_as_it_is():
    assert content_disposition("dgif-2030-attendees.csv") == 'attachment; filename="dgif-2030-attendees.csv"'
    assert content_disposition("preview-badge.pdf", inline=True) == 'inline; filename="preview-badge.pdf"'


def test_a_non_ascii_filename_is_sent_as_rfc_6266_says():
    assert content_disposition("Programme – Daejeon 대전 2030.pdf") == (
        'attachment; filename="Programme  Daejeon  2030.pdf"; '
        "filename*=UTF-8''Programme%20%E2%80%93%20Daejeon%20%EB%8C%80%EC%A0%84%202030.pdf")
    assert content_disposition("Lettre-d’invitation-Côte-d’Ivoire.pdf", inline=True) == (
        'inline; filename="Lettre-dinvitation-Cote-dIvoire.pdf"; '
        "filename*=UTF-8''Lettre-d%E2%80%99invitation-C%C3%B4te-d%E2%80%99Ivoire.pdf")
    assert content_disposition("대전.pdf").startswith('attachment; filename=".pdf"; filename*=UTF-8')


def test_a_filename_cannot_break_out_of_its_quotes():
    header = content_disposition('cv "final"\\\r\n.pdf')
    assert header.startswith('attachment; filename="cv _final____.pdf"; filename*=UTF-8\'\'')
    assert "\r" not in header and "\n" not in header


def test_a_download_names_its_file_and_type():
    with Flask(__name__).test_request_context():
        response = download_response("BEGIN:VCALENDAR", "대전.ics", "text/calendar")
        assert response.mimetype == "text/calendar" and response.get_data(as_text=True) == "BEGIN:VCALENDAR"
        assert response.headers["Content-Disposition"] == (
            "attachment; filename=\".ics\"; filename*=UTF-8''%EB%8C%80%EC%A0%84.ics")
        streamed = download_response(iter(["a,b\r\n", "1,2\r\n"]), "x.csv", "text/csv")
        assert streamed.is_streamed and streamed.get_data(as_text=True) == "a,b\r\n1,2\r\n"
