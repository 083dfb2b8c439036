"""Helpers for the documents tests: a PDF's text and QR codes, visa fields as the form sends them."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import sqlalchemy as sa
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.extensions import db
from app.models import Event, Registration, User, utcnow
from app.services.attendance.attendance import event_days, record_attendance
from app.services.documents.document_wording import DEFAULT_CERTIFICATE, DEFAULT_LETTER
from tests.conftest import csrf_token, start_writing


def pdf_pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF"), content[:200]
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    """All pages' text with runs of white space made one space (lines wrap wherever the layout says)."""
    return " ".join(" ".join(pdf_pages(content)).split())


def qr_images(content: bytes) -> list[list[Image.Image]]:
    """For each page, the images it draws, in drawing order, as the PDF holds them (the badge QRs)."""
    reader = PdfReader(io.BytesIO(content))
    found = []
    for page in reader.pages:
        # WeasyPrint shares one resource dictionary between pages: what a page shows is what its
        # content stream draws ("Do"), in drawing order, not every image its resources list.
        drawn = [operands[0] for operands, operator in ContentStream(page.get_contents(), reader).operations
                 if operator == b"Do"]
        found.append([page.images[name].image for name in drawn])
    return found


def qr_codes(content: bytes) -> list[list[str]]:
    """For each page, the text of every QR code found in the page's images, as a scanner reads it."""
    return [[result.text for image in images for result in zxingcpp.read_barcodes(image)]
            for images in qr_images(content)]


def visa_fields(**overrides) -> dict:
    """The passport part of the registration form, valid for an event in the next few weeks."""
    data = {
        "needs_visa_letter": "y",
        "visa_passport_name": "DIALLO AMINA",
        "visa_nationality": "SN",
        "visa_date_of_birth": "1984-05-17",
        "visa_passport_number": "a1234 567",
        "visa_passport_expiry": (date.today() + timedelta(days=3 * 365)).isoformat(),
    }
    data.update(overrides)
    return data


def registration_by_email(email: str) -> Registration:
    return db.session.scalar(sa.select(Registration).where(Registration.email == email))


def verification_code_in(text: str) -> str:
    match = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", text)
    assert match, text
    return match.group(1)


def attend(event: Event, registration: Registration, days: int, by: User | None = None) -> None:
    """Check the person in at the door on the first `days` days of the event, through the check-in service."""
    start_writing()
    for day in event_days(event)[:days]:
        record_attendance(db.session, [registration.id], day, at=utcnow(), by=by)
    db.session.commit()


def wording_url(event) -> str:
    return f"/admin/events/{event.id}/documents/wording"


def save_wording(client, event, **changes):
    page = client.get(wording_url(event))
    data = {
        "signatory_name": "Dr Lee Hana", "signatory_title": "Secretary General, WTA",
        "letter_body": DEFAULT_LETTER, "badge_heading": "{event_title}", "certificate_body": DEFAULT_CERTIFICATE,
        "certificate_threshold": "80", "csrf_token": csrf_token(page),
    }
    data.update(changes)
    return client.post(wording_url(event), data=data, follow_redirects=True)
