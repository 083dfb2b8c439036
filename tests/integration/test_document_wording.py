"""Per-event wording of letters, badges and certificates, with placeholders, and PDF previews."""

from __future__ import annotations

from app.extensions import db
from app.models import DocumentSettings
from tests.integration.documents_support import pdf_text, qr_codes, save_wording


def test_unknown_placeholders_are_refused_next_to_the_field(make_event, make_user, auth, client):
    event = make_event()
    make_user()
    auth.login()
    refused = save_wording(client, event, letter_body="Dear {givenname},", badge_heading="Welcome {",
                           certificate_threshold="120")
    assert refused.status_code == 422
    assert b"Unknown placeholder {givenname}. You can use: {given_name}" in refused.data
    assert b"A { or } is not closed." in refused.data
    assert b"Give a percentage between 1 and 100." in refused.data
    assert db.session.get(DocumentSettings, event.id) is None


def test_saved_wording_appears_in_the_previews(make_event, make_user, auth, client):
    event = make_event(title="Regional Workshop on Technology Business Incubation", code="RWTBI27")
    make_user()
    auth.login()
    saved = save_wording(
        client, event,
        letter_body="We invite {full_name} of {organisation} to {event_title}.\n\nSee you on {event_dates}.",
        badge_heading="Welcome to {event_title}",
        certificate_body="{given_name} was with us for {days_attended} of {days_total} days.",
    )
    assert b"The wording is saved" in saved.data

    letter = client.get(f"/admin/events/{event.id}/documents/preview/letter.pdf")
    text = pdf_text(letter.data)
    assert "We invite Nguyễn Thị Lan of Hoa Lac Hi-Tech Park to Regional Workshop" in text
    assert "Dr Lee Hana" in text and "PREVIEW" in text and "NGUYEN THI LAN" in text

    badge = client.get(f"/admin/events/{event.id}/documents/preview/badge.pdf?layout=a4")
    assert "Welcome to Regional Workshop" in pdf_text(badge.data)
    assert qr_codes(badge.data) == [["RWTBI27-SAMP"]]

    certificate = pdf_text(client.get(f"/admin/events/{event.id}/documents/preview/certificate.pdf").data)
    assert "Nguyễn Thị was with us for" in certificate and "Secretary General, WTA" in certificate
    assert "PREVIEW" in certificate
    assert client.get(f"/admin/events/{event.id}/documents/preview/other.pdf").status_code == 404
    assert db.session.query(DocumentSettings).count() == 1  # previews saved nothing else
