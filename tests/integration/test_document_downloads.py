"""Organisers download a person's visa letter and certificate from their pages, as PDFs they can read."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import VisaRequest, utcnow
from tests.integration.documents_support import attend, pdf_pages, pdf_text, registration_by_email, visa_fields
from tests.integration.organiser_support import add_registrations, post_action


def _link(html: str, text: str) -> str:
    """The address of the link whose text is `text`."""
    match = re.search(rf'href="([^"]+)">{re.escape(text)}</a>', html)
    assert match, f"no link “{text}” on the page"
    return match.group(1)


def _pdf_download(response, filename: str) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
    assert len(pdf_pages(response.data)) == 1
    return pdf_text(response.data)


def test_an_organiser_downloads_the_draft_and_then_the_approved_visa_letter(make_event, make_user, auth, register,
                                                                             client):
    event = make_event(title="International Training Workshop on Science City Governance")
    register(event, **visa_fields())
    reference = registration_by_email("amina.diallo@example.org").reference
    make_user()
    auth.login()
    documents = f"/admin/events/{event.id}/documents"

    draft = client.get(_link(client.get(documents).get_data(as_text=True), "Draft (PDF)"))
    text = _pdf_download(draft, f"visa-letter-{reference}.pdf")
    for expected in (f"WTA/VL/{reference}", "DIALLO AMINA", "A1234567", "17 May 1984", event.title):
        assert expected in text, expected

    request_id = db.session.scalar(sa.select(VisaRequest.id))
    post_action(client, documents, f"{documents}/visa/{request_id}/approve")
    registration_page = client.get(
        f"/admin/events/{event.id}/attendees/{registration_by_email('amina.diallo@example.org').id}")
    letter = client.get(_link(registration_page.get_data(as_text=True), "Letter (PDF)"))
    assert "DIALLO AMINA" in _pdf_download(letter, f"visa-letter-{reference}.pdf")


def test_an_organiser_downloads_an_issued_certificate_and_none_before(make_event, make_user, auth, client):
    now = utcnow()
    event = make_event(registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=30),
                       starts_at=now - timedelta(days=5, hours=12), ends_at=now - timedelta(days=1, hours=12))
    [registration] = add_registrations(event, 1, given_name="Kwame", family_name="Mensah")
    attend(event, registration, 5)
    make_user()
    auth.login()
    page_url = f"/admin/events/{event.id}/attendees/{registration.id}"
    assert client.get(f"{page_url}/certificate.pdf").status_code == 404  # not issued yet

    issued = post_action(client, page_url, f"{page_url}/certificate")
    certificate = client.get(_link(issued.get_data(as_text=True), "PDF"))

    text = _pdf_download(certificate, f"certificate-{registration.reference}.pdf")
    assert "Certificate of Attendance" in text and "Kwame Mensah" in text
    assert "attended 5 of its 5 days" in text and event.title in text
